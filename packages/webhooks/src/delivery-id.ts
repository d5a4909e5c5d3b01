/**
 * Provider delivery ids as they really look (Stripe `evt_…`, Svix `msg_…`: letters, digits,
 * `_`). Anything else is refused as malformed: it could not become a queue job id either.
 */
const DELIVERY_ID = /^[A-Za-z0-9_-]{1,255}$/;

export function isValidDeliveryId(id: string): boolean {
  return DELIVERY_ID.test(id);
}
