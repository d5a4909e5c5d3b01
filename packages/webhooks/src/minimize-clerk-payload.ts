import { pickFields } from "./pick-fields";

/**
 * Job data and the ledger keep what the handlers need from a Clerk event: ids, the primary
 * email and names of a user (erased again when the user is deleted), never phone numbers,
 * addresses, metadata or session details. Unhandled types keep only their object's id.
 */
const EVENT_FIELDS = ["object", "type", "timestamp", "instance_id"] as const;

function minimizeData(type: string, data: unknown): Record<string, unknown> {
  if (type === "user.created" || type === "user.updated") {
    const user = pickFields(data, ["id", "object", "email_addresses", "primary_email_address_id", "first_name", "last_name", "updated_at"]);
    const emails = Array.isArray(user.email_addresses) ? user.email_addresses : [];
    const primary = emails.find((entry) => pickFields(entry, ["id"]).id === user.primary_email_address_id) ?? emails[0];
    return { ...user, email_addresses: primary === undefined ? [] : [pickFields(primary, ["id", "email_address"])] };
  }
  if (type === "user.deleted") return pickFields(data, ["id", "object", "deleted"]);
  return pickFields(data, ["id", "object"]);
}

export function minimizeClerkPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const type = typeof payload.type === "string" ? payload.type : "";
  return { ...pickFields(payload, EVENT_FIELDS), data: minimizeData(type, payload.data) };
}
