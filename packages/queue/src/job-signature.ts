import { createHmac, timingSafeEqual } from "node:crypto";
import { longSecretList } from "@wh/core";
import type { WebhookJob } from "./webhook-job";

/**
 * Job authentication. Whoever can write to Redis (a leaked REDIS_URL, a queue UI) can add a job;
 * the worker must apply only what our own producers (receiver, replay) enqueued. Each of them adds
 * `signature`: an HMAC-SHA256, under JOB_SIGNING_KEY, of the job's canonical data.
 *
 * Canonical data: every field of the job data except `signature`, serialised as JSON with the keys
 * of every object sorted (UTF-16 code unit order, as `Array.prototype.sort`), no whitespace, keys
 * whose value is `undefined` left out and `undefined` array items written `null` — exactly what
 * survives BullMQ's JSON round trip through Redis, so the worker computes the same bytes.
 *
 * The signature covers the content, not the job id: a copy of a genuine job under another id
 * carries the same provider event id, which the ledger turns into a no-op.
 */

/** JOB_SIGNING_KEY: the first key signs, every key is accepted (rotation). */
export type JobSigningKeys = readonly string[];

export type SignedWebhookJob = WebhookJob & { signature: string };

export type SignatureFailure = "missing_signature" | "bad_signature";

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure };

const VERSION = "v1=";

/** The env field of every process that signs or verifies jobs (receiver, worker, replay CLI). */
export const jobSigningEnvFields = {
  /** Comma-separated, each ≥ 32 characters: the first signs, all are accepted (rotation). */
  JOB_SIGNING_KEY: longSecretList("key"),
};

export function signWebhookJob(job: WebhookJob, keys: JobSigningKeys): SignedWebhookJob {
  const key = keys[0];
  if (!key) throw new Error("no job signing key");
  return { ...job, signature: VERSION + hmac(key, canonicalJobData(job)) };
}

/** Whether job data (as read from Redis: anything) carries a signature one of `keys` made. */
export function checkJobSignature(data: unknown, keys: JobSigningKeys): SignatureCheck {
  if (!isObject(data) || typeof data.signature !== "string" || !data.signature.startsWith(VERSION)) {
    return { ok: false, reason: "missing_signature" };
  }
  const given = Buffer.from(data.signature.slice(VERSION.length), "utf8");
  let canonical: string;
  try {
    canonical = canonicalJobData(data);
  } catch (error) {
    if (error instanceof UnsignableJobDataError) return { ok: false, reason: "bad_signature" };
    throw error;
  }
  // Every key is tried, each compared in constant time: timing tells nothing about the digest.
  let matched = false;
  for (const key of keys) {
    const expected = Buffer.from(hmac(key, canonical), "utf8");
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: "bad_signature" };
}

/**
 * The bytes the HMAC covers: every field but `signature`; see the module comment. Serialised by
 * the native `JSON.stringify` with the sorted list of every key in the data as its property list,
 * which writes each object's keys in that list's order: sorted at every depth, without building
 * the string piece by piece (this runs for every job the receiver adds and the worker takes).
 * A property list is looked up with `Get`, so an object lacking an own `__proto__` key would
 * yield its prototype there: data with such a key (which no producer of ours writes) is refused.
 */
export function canonicalJobData(data: object): string {
  const keys = new Set<string>();
  collectKeys(data, keys);
  if (keys.has("__proto__")) throw new UnsignableJobDataError();
  return JSON.stringify({ ...data, signature: undefined }, [...keys].sort());
}

/** Job data with an own `__proto__` key: it has no canonical form (canonicalJobData). */
export class UnsignableJobDataError extends Error {
  override readonly name = "UnsignableJobDataError";
  constructor() {
    super("job data with a __proto__ key cannot be signed or verified");
  }
}

/** Every own enumerable key at every depth, as `JSON.stringify` visits them (through `toJSON`). */
function collectKeys(value: unknown, keys: Set<string>): void {
  if (typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) collectKeys(item, keys);
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.toJSON === "function") {
    collectKeys(record.toJSON(), keys);
    return;
  }
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    keys.add(key);
    collectKeys(record[key], keys);
  }
}

function hmac(key: string, canonical: string): string {
  return createHmac("sha256", key).update(canonical, "utf8").digest("hex");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
