import { parseReplayArgs, type ParsedReplayArgs } from "./replay-args";

const message = (parsed: ParsedReplayArgs): string => (parsed.ok ? "(parsed)" : parsed.message);

describe("parseReplayArgs", () => {
  it("reads one event, dry run by default", () => {
    expect(parseReplayArgs(["--event", "evt_123", "--provider", "stripe"])).toEqual({
      ok: true,
      command: "replay",
      args: { selection: { kind: "event", eventId: "evt_123", provider: "stripe" }, execute: false },
    });
    expect(parseReplayArgs(["--event=msg_2abc", "--execute"])).toEqual({
      ok: true,
      command: "replay",
      args: { selection: { kind: "event", eventId: "msg_2abc", provider: undefined }, execute: true },
    });
  });

  it("reads a filter: statuses, provider, type, dates as midnight UTC or with their zone, limit", () => {
    const parsed = parseReplayArgs([
      "--status", "dead, failed,dead",
      "--provider", "stripe",
      "--type", "customer.subscription.updated",
      "--since", "2026-11-01",
      "--until", "2026-11-27T12:30:00+01:00",
      "--limit", "50",
      "--execute",
    ]);

    expect(parsed).toEqual({
      ok: true,
      command: "replay",
      args: {
        selection: {
          kind: "filter",
          statuses: ["dead", "failed"],
          provider: "stripe",
          type: "customer.subscription.updated",
          since: new Date("2026-11-01T00:00:00.000Z"),
          until: new Date("2026-11-27T11:30:00.000Z"),
          limit: 50,
        },
        execute: true,
      },
    });
  });

  it("answers help for --help and -h, whatever else is given", () => {
    expect(parseReplayArgs(["--help"])).toEqual({ ok: true, command: "help" });
    expect(parseReplayArgs(["-h", "--status", "dead"])).toEqual({ ok: true, command: "help" });
  });

  it.each([
    [[], /nothing selected: pass --event <id>, or --status/],
    [["--everything"], /Unknown option '--everything'/],
    [["dead"], /Unexpected argument 'dead'/],
    [["--status"], /argument missing/],
    [["--status", "completed"], /--status must list only dead, failed, ignored \(completed and skipped events are never replayed\)/],
    [["--status", ","], /--status must name at least one status/],
    [["--status", "dead", "--provider", "paypal"], /--provider must be one of stripe, clerk/],
    [["--status", "dead", "--since", "yesterday"], /--since must be a date \(2026-11-01, midnight UTC\) or a date-time with a zone/],
    [["--status", "dead", "--since", "2026-02-30"], /--since must be a date/],
    [["--status", "dead", "--until", "2026-11-27T12:00:00"], /--until must be a date/],
    [["--status", "dead", "--since", "2026-11-27", "--until", "2026-11-01"], /--until must be later than --since/],
    [["--status", "dead", "--since", "2026-11-01", "--until", "2026-11-01"], /--until must be later than --since/],
    [["--status", "dead", "--limit", "0"], /--limit must be a positive whole number/],
    [["--status", "dead", "--limit", "1e3"], /--limit must be a positive whole number/],
    [["--status", "dead", "--type", ""], /--type must not be empty/],
    [["--event", "evt:1"], /--event must be a provider event id/],
    [
      ["--event", "evt_1", "--status", "dead", "--since", "2026-11-01"],
      /--status cannot be combined with --event; --since cannot be combined with --event/,
    ],
    [["--execute=yes", "--status", "dead"], /does not take an argument/],
  ])("rejects %j as a usage error", (argv, expected) => {
    const parsed = parseReplayArgs(argv);

    expect(parsed.ok).toBe(false);
    expect(message(parsed)).toMatch(expected);
  });
});
