/** A copy of `source` with only `keys` (those present). Non-objects become `{}`. */
export function pickFields(source: unknown, keys: readonly string[]): Record<string, unknown> {
  if (source === null || typeof source !== "object" || Array.isArray(source)) return {};
  const record = source as Record<string, unknown>;
  // A plain loop: this runs on every object of every delivery the receiver minimizes.
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (key in record) picked[key] = record[key];
  return picked;
}

/** An expandable Stripe reference reduced to its id (`"cus_1"` or `{ id: "cus_1", … }` → `"cus_1"`). */
export function referenceId(value: unknown): unknown {
  if (value !== null && typeof value === "object" && "id" in value) return (value as { id: unknown }).id;
  return value;
}
