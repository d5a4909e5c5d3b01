import { commandExists, runsAsRoot } from "./process-alive";
import { runCommand } from "./run-command";
import { logTail, serviceLog, ServiceError } from "./service-log";

/** A program this project needs and the Debian package that brings it. */
export interface Requirement {
  command: string;
  aptPackage: string;
}

/**
 * Installs Debian packages with apt-get (`--no-install-recommends`), as root or through sudo,
 * running `apt-get update` once per installer before the first install.
 */
export class AptInstaller {
  private updated = false;

  /** Installs the packages of the requirements whose command is not on PATH yet (`command -v` first). */
  async ensure(requirements: readonly Requirement[]): Promise<void> {
    const missing = requirements.filter((requirement) => !commandExists(requirement.command));
    if (missing.length === 0) return;
    await this.install([...new Set(missing.map((requirement) => requirement.aptPackage))]);
    const stillMissing = missing.filter((requirement) => !commandExists(requirement.command));
    if (stillMissing.length > 0) {
      throw new ServiceError(
        `${stillMissing.map((requirement) => requirement.command).join(", ")} still not found after installing ${stillMissing.map((requirement) => requirement.aptPackage).join(" ")}`,
      );
    }
  }

  async install(packages: readonly string[]): Promise<void> {
    const names = packages.join(" ");
    if (!commandExists("apt-get")) {
      throw new ServiceError(`need package(s) ${names} but apt-get is not available; install them manually`);
    }
    const asRoot = runsAsRoot() ? ["env"] : ["sudo", "env"];
    if (!runsAsRoot() && !commandExists("sudo")) {
      throw new ServiceError(`need package(s) ${names} but not running as root and sudo is missing; install them manually`);
    }
    serviceLog(`installing ${names} with apt-get (this can take a minute)...`);
    const aptGet = (args: string[]) =>
      runCommand(asRoot[0]!, [...asRoot.slice(1), "DEBIAN_FRONTEND=noninteractive", "apt-get", ...args], { timeoutMs: 30 * 60_000 });
    if (!this.updated) {
      const update = await aptGet(["update", "-qq"]);
      if (update.code !== 0) {
        logTail(update.output, 20);
        throw new ServiceError(`apt-get update failed (exit ${update.code})`);
      }
      this.updated = true;
    }
    const install = await aptGet(["install", "-y", "-qq", "--no-install-recommends", ...packages]);
    if (install.code !== 0) {
      logTail(install.output, 30);
      throw new ServiceError(`apt-get install ${names} failed (exit ${install.code})`);
    }
  }
}
