/**
 * Keys whose value never reaches a log line, at any depth: bodies and payloads (they carry
 * personal data), signature headers and secrets, and the personal fields of Clerk users and
 * Stripe customers. Compared after lower-casing and dropping `_` and `-`, so `first_name`,
 * `firstName` and `First-Name` are one key.
 *
 * Left out on purpose: `name` (queue, job, worker and error names are what an operator searches
 * for; a person's name comes as `first_name`/`last_name`/`full_name`, or `name` inside a
 * customer object, which is a payload and redacted whole), `data` (too generic: every nested
 * payload already sits under `payload` or `body`), ids of any kind.
 */
const REDACTED_KEYS: ReadonlySet<string> = new Set([
  "body",
  "rawbody",
  "payload",
  "headers",
  "authorization",
  "cookie",
  "secret",
  "secrets",
  "password",
  "token",
  "email",
  "emails",
  "emailaddress",
  "emailaddresses",
  "firstname",
  "lastname",
  "fullname",
  "username",
  "phone",
  "phonenumber",
  "phonenumbers",
]);

export const REDACTED = "[redacted]";

/** Deeper than this a log object has no business going; the rest is cut rather than walked. */
const MAX_DEPTH = 8;

export function isRedactedKey(key: string): boolean {
  return REDACTED_KEYS.has(key.toLowerCase().replace(/[_-]/g, ""));
}

/**
 * A copy of a log object with every redacted key replaced, at any depth of plain objects and
 * arrays. Other values (errors, dates, buffers) are left to pino's serializers untouched. The
 * caller's object is never modified; an object without redacted keys is returned as it is.
 */
export function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  return redactValue(object, 0, new WeakSet()) as Record<string, unknown>;
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value !== "object" || value === null) return value;
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainObject(value)) return value;
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(value);
  try {
    if (isArray) {
      const items = value.map((item) => redactValue(item, depth + 1, seen));
      return items.some((item, index) => item !== value[index]) ? items : value;
    }
    let copy: Record<string, unknown> | undefined;
    for (const [key, entry] of Object.entries(value)) {
      const redacted = isRedactedKey(key) ? REDACTED : redactValue(entry, depth + 1, seen);
      if (redacted !== entry) {
        copy ??= { ...value };
        copy[key] = redacted;
      }
    }
    return copy ?? value;
  } finally {
    seen.delete(value);
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
