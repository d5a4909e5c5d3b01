import { Webhook, WebhookVerificationError } from "svix";
import { isValidDeliveryId } from "./delivery-id";
import { DEFAULT_TOLERANCE_SECONDS, type VerificationResult } from "./verification-result";

/** What the rest of the system needs from a verified Clerk (Svix) delivery. */
export interface ClerkEventEnvelope {
  /** The `svix-id` header: stable across retries, the delivery id (Clerk bodies carry none). */
  id: string;
  type: string;
  /** Milliseconds: the body's `timestamp`, never the `svix-timestamp` header (new on each retry). */
  timestampMs: number;
  /** `data.id`, the Clerk object the event is about. */
  objectId: string | undefined;
  payload: Record<string, unknown>;
}

export interface ClerkHeaders {
  "svix-id"?: string;
  "svix-timestamp"?: string;
  "svix-signature"?: string;
}

export interface VerifyClerkInput {
  rawBody: Buffer;
  headers: ClerkHeaders;
  /** Unix seconds; injected by tests. Svix's own ±5 min check uses the real clock. */
  nowSeconds?: number;
}

export type ClerkVerifier = (input: VerifyClerkInput) => VerificationResult<ClerkEventEnvelope>;

/**
 * Verifies Clerk deliveries with the official `svix` library against every valid secret. The
 * Svix `Webhook` objects (each decodes its secret) are built here once, not per request.
 */
export function createClerkVerifier(secrets: readonly string[]): ClerkVerifier {
  const webhooks = secrets.map((secret) => new Webhook(secret));
  return (input) => verifyClerk(input, webhooks);
}

function verifyClerk(input: VerifyClerkInput, webhooks: readonly Webhook[]): VerificationResult<ClerkEventEnvelope> {
  const { headers } = input;
  const id = headers["svix-id"];
  const timestamp = headers["svix-timestamp"];
  const signature = headers["svix-signature"];
  if (!id || !timestamp || !signature) return { ok: false, reason: "missing_headers" };
  if (!isValidDeliveryId(id)) return { ok: false, reason: "malformed_payload" };

  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!/^\d+$/.test(timestamp) || Math.abs(now - Number(timestamp)) > DEFAULT_TOLERANCE_SECONDS) {
    return { ok: false, reason: "timestamp_out_of_tolerance" };
  }

  let verified: unknown;
  let sawSignedGarbage = false;
  for (const webhook of webhooks) {
    try {
      verified = webhook.verify(input.rawBody, {
        "svix-id": id,
        "svix-timestamp": timestamp,
        "svix-signature": signature,
      });
      break;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) sawSignedGarbage = true;
    }
  }
  if (verified === undefined) {
    return { ok: false, reason: sawSignedGarbage ? "malformed_payload" : "invalid_signature" };
  }
  if (verified === null || typeof verified !== "object" || Array.isArray(verified)) {
    return { ok: false, reason: "malformed_payload" };
  }
  const payload = verified as Record<string, unknown>;
  const { type, data } = payload;
  if (typeof type !== "string" || data === null || typeof data !== "object") {
    return { ok: false, reason: "malformed_payload" };
  }
  const { id: objectId, updated_at: updatedAt } = data as { id?: unknown; updated_at?: unknown };
  // The body's own time orders events; older payloads without it fall back to the object's
  // `updated_at`. The `svix-timestamp` header is never used: it changes on every retry.
  const timestampMs = typeof payload.timestamp === "number" ? payload.timestamp : updatedAt;
  if (typeof timestampMs !== "number") return { ok: false, reason: "malformed_payload" };
  return {
    ok: true,
    event: {
      id,
      type,
      timestampMs,
      objectId: typeof objectId === "string" ? objectId : undefined,
      payload,
    },
  };
}
