import { parseTriggerArgs, type ParsedTriggerArgs } from "./trigger-args";

const message = (parsed: ParsedTriggerArgs): string => (parsed.ok ? "(parsed)" : parsed.message);

describe("parseTriggerArgs", () => {
  it("reads an event, a user and a plan, with the receiver and timeout defaults", () => {
    expect(parseTriggerArgs(["customer.subscription.created", "--user", "user_2abc", "--plan", "pro"])).toEqual({
      ok: true,
      command: "trigger",
      args: {
        event: "customer.subscription.created",
        user: "user_2abc",
        plan: "pro",
        email: undefined,
        customer: undefined,
        subscription: undefined,
        receiverUrl: "http://127.0.0.1:3000",
        timeoutMs: 30_000,
      },
    });
    expect(
      parseTriggerArgs(["user.created", "--user=ada@example.com", "--receiver-url", "http://127.0.0.1:3100/", "--timeout", "0"]),
    ).toMatchObject({ ok: true, args: { event: "user.created", user: "ada@example.com", receiverUrl: "http://127.0.0.1:3100", timeoutMs: 0 } });
  });

  it("answers help for --help and -h, whatever else is given", () => {
    expect(parseTriggerArgs(["--help"])).toEqual({ ok: true, command: "help" });
    expect(parseTriggerArgs(["invoice.paid", "-h"])).toEqual({ ok: true, command: "help" });
  });

  it.each([
    [[], /name the event to send: one of checkout.session.completed, /],
    [["user.created", "user.updated", "--user", "user_1"], /one event at a time/],
    [["invoice.refunded", "--user", "user_1"], /<event> must be one of checkout.session.completed, .*user.deleted/],
    [["invoice.paid"], /--user is required/],
    [["invoice.paid", "--user", "someone"], /--user must be a Clerk user id \(user_…\) or an email/],
    [["customer.subscription.created", "--user", "user_1"], /--plan is required for customer.subscription.created/],
    [["customer.subscription.updated", "--user", "user_1", "--plan", "gold"], /--plan must be one of starter, pro, business/],
    [["user.created", "--user", "user_1", "--plan", "pro"], /--plan does not apply to the Clerk event user.created/],
    [["invoice.paid", "--user", "user_1", "--email", "a@example.com"], /--email applies only to Clerk user events/],
    [["invoice.paid", "--user", "user_1", "--subscription", "in_1"], /--subscription must be a Stripe id \(sub_…\)/],
    [["invoice.paid", "--user", "user_1", "--timeout", "5s"], /--timeout must be a whole number of seconds/],
    [["invoice.paid", "--user", "user_1", "--receiver-url", "127.0.0.1:3000"], /--receiver-url must be an http\(s\) URL/],
    [["invoice.paid", "--user", "user_1", "--execute"], /Unknown option '--execute'/],
  ])("rejects %j as a usage error", (argv, expected) => {
    const parsed = parseTriggerArgs(argv);

    expect(parsed.ok).toBe(false);
    expect(message(parsed)).toMatch(expected);
  });
});
