import { Writable } from "node:stream";
import { createLogger } from "./logger";

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>));
      done();
    },
  });
  return { log: createLogger({ name: "test", level: "info", destination }), lines };
}

const clerkUser = {
  id: "user_1",
  email_addresses: [{ id: "idn_1", email_address: "ada@example.com" }],
  first_name: "Ada",
  last_name: "Lovelace",
  username: "ada",
  phone_numbers: [{ phone_number: "+15550100" }],
};

it("redacts payloads, emails and names at any depth, and keeps ids, queues and errors", () => {
  const { log, lines } = capturingLogger();
  const context = {
    queue: "webhooks-clerk",
    queues: ["webhooks-stripe", "webhooks-clerk"],
    eventId: "msg_1",
    job: { id: "clerk_msg_1", attempts: [{ at: 1, detail: { deeper: { user: clerkUser, Email: "ada@example.com" } } }] },
    payload: { data: clerkUser },
    err: new Error("boom"),
  };
  log.warn(context, "something happened");

  const text = JSON.stringify(lines);
  expect(text).not.toContain("ada@example.com");
  expect(text).not.toContain("Lovelace");
  expect(text).not.toContain(`"Ada"`);
  expect(text).not.toContain("+15550100");
  expect(lines[0]).toMatchObject({
    msg: "something happened",
    queue: "webhooks-clerk",
    queues: ["webhooks-stripe", "webhooks-clerk"],
    eventId: "msg_1",
    payload: "[redacted]",
    err: { message: "boom" },
  });
  const user = (lines[0] as { job: { attempts: { detail: { deeper: { user: Record<string, unknown>; Email: unknown } } }[] } }).job
    .attempts[0]!.detail.deeper;
  expect(user.Email).toBe("[redacted]");
  expect(user.user).toEqual({
    id: "user_1",
    email_addresses: "[redacted]",
    first_name: "[redacted]",
    last_name: "[redacted]",
    username: "[redacted]",
    phone_numbers: "[redacted]",
  });
  // The caller's object is not modified.
  expect(context.payload.data.first_name).toBe("Ada");
});

it("writes circular and very deep objects without throwing", () => {
  const { log, lines } = capturingLogger();
  const circular: Record<string, unknown> = { id: "a" };
  circular.self = circular;
  let deep: Record<string, unknown> = { email: "deep@example.com" };
  for (let i = 0; i < 20; i += 1) deep = { next: deep };
  log.info({ circular, deep }, "odd shapes");
  expect(JSON.stringify(lines)).not.toContain("deep@example.com");
  expect(lines[0]).toMatchObject({ circular: { id: "a", self: "[circular]" } });
});
