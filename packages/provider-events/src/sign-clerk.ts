import { Webhook } from "svix";

/** A Clerk delivery signed by the official `svix` library, as Svix would send it (a string is sent as is). */
export function signClerk(
  event: object | string,
  secret: string,
  options: { msgId: string; timestampSeconds?: number },
): { body: string; headers: Record<string, string> } {
  const body = typeof event === "string" ? event : JSON.stringify(event);
  const timestamp = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  const signature = new Webhook(secret).sign(options.msgId, new Date(timestamp * 1000), body);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "svix-id": options.msgId,
      "svix-timestamp": String(timestamp),
      "svix-signature": signature,
    },
  };
}
