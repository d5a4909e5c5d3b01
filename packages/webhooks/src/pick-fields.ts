/** A copy of `source` with only `keys` (those present). Non-objects become `{}`. */
export function pickFields(source: unknown, keys: readonly string[]): Record<string, unknown> {
  if (source === null || typeof source !== "object" || Array.isArray(source)) return {};
  const record = source as Record<string, unknown>;
  return Object.fromEntries(keys.filter((key) => key in record).map((key) => [key, record[key]]));
}

/** An expandable Stripe reference reduced to its id (`"cus_1"` or `{ id: "cus_1", … }` → `"cus_1"`). */
export function referenceId(value: unknown): unknown {
  if (value !== null && typeof value === "object" && "id" in value) return (value as { id: unknown }).id;
  return value;
}
