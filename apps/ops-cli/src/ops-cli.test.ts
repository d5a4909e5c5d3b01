import { COMMANDS } from "./command-table";
import { runOpsCli } from "./ops-cli";
import { captureIo } from "./test-support/capture-io";

describe("ops-cli", () => {
  it("lists every command with --help and exits 0", async () => {
    const run = captureIo();

    expect(await runOpsCli(["--help"], run.io)).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(run.stdout()).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
    expect(run.stdout()).toContain("pnpm ops <command>");
  });

  it("prints the usage and exits 2 without a command", async () => {
    const run = captureIo();

    expect(await runOpsCli([], run.io)).toBe(2);
    expect(run.stdout()).toMatch(/^Usage: ops-cli <command>/);
  });

  it("refuses an unknown command with exit 2, naming the known ones", async () => {
    const run = captureIo();

    expect(await runOpsCli(["replya", "--status", "dead"], run.io)).toBe(2);
    expect(run.stderr()).toMatch(/^ops-cli: unknown command 'replya' \(one of replay/);
    expect(await runOpsCli(["toString"], captureIo().io)).toBe(2);
  });

  it("passes a subcommand's --help and usage errors through (exit 0 and 2)", async () => {
    const help = captureIo();
    const bad = captureIo();

    expect(await runOpsCli(["replay", "--help"], help.io)).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: ops-cli replay --event <id>/);
    expect(await runOpsCli(["replay", "--status", "dead", "--limit", "0"], bad.io)).toBe(2);
    expect(bad.stderr()).toBe("replay: --limit must be a positive whole number\nRun ops-cli replay --help for usage.\n");
  });

  it("exits 2 naming the variable when a command's configuration is missing", async () => {
    const run = captureIo({});

    expect(await runOpsCli(["replay", "--status", "dead"], run.io)).toBe(2);
    expect(run.stderr()).toMatch(/^replay: Invalid configuration:\n {2}- DATABASE_URL: is required/);
  });
});
