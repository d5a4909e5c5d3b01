/**
 * Clerk events of one user are ordered by the body's `timestamp` (ms); within the same
 * millisecond the greater svix id wins, arbitrary but the same for every delivery order.
 */
export function isNewerClerkEvent(
  stored: { at: Date | null; id: string | null },
  incoming: { at: Date; id: string },
): boolean {
  if (!stored.at) return true;
  const byTime = incoming.at.getTime() - stored.at.getTime();
  if (byTime !== 0) return byTime > 0;
  return incoming.id > (stored.id ?? "");
}
