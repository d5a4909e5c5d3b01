import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { FIXTURE_EMAIL_DOMAIN, FIXTURE_NAMES } from "@wh/provider-events";

/**
 * What must never appear in an app's log: any fixture email, and the fixture names as JSON
 * values (quoted, so that "Adapter" in a stack trace is not a finding).
 */
const PERSONAL_DATA_NEEDLES = [
  `@${FIXTURE_EMAIL_DOMAIN}`,
  `"${FIXTURE_NAMES.firstName}"`,
  FIXTURE_NAMES.lastName,
];

/** A fresh folder for one test run's app logs (a jest global setup makes it). */
export function createAppLogDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "wh-app-logs-"));
}

/** Every log line under `dir` that carries fixture personal data, as `file:line: needle`. */
export async function findPersonalDataInAppLogs(dir: string): Promise<string[]> {
  const findings: string[] = [];
  for (const file of (await readdir(dir)).sort()) {
    const lines = (await readFile(path.join(dir, file), "utf8")).split("\n");
    lines.forEach((line, index) => {
      for (const needle of PERSONAL_DATA_NEEDLES) {
        if (line.includes(needle)) findings.push(`${path.join(dir, file)}:${index + 1}: ${needle}`);
      }
    });
  }
  return findings;
}

/**
 * The teardown of a run: fails (keeping the folder for a look) when any app log under `dir`
 * holds fixture personal data, else removes the folder.
 */
export async function checkAppLogsForPersonalData(dir: string): Promise<void> {
  const findings = await findPersonalDataInAppLogs(dir);
  if (findings.length > 0) {
    throw new Error(`app logs carry personal data of the fixtures (logs kept in ${dir}):\n${findings.slice(0, 20).join("\n")}`);
  }
  await rm(dir, { recursive: true, force: true });
}
