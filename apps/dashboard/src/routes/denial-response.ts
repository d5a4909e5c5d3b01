import type { DenyReason } from "@wh/billing";

/**
 * The one place a deny becomes an HTTP status. 402: the plan's limit is reached; 403: the user may
 * not use the product (no plan, deleted, unknown plan); 404: no such user; 503: the database could
 * not answer, which is a deny too (fail closed) and worth a retry.
 */
export function denialResponse(reason: DenyReason): { status: number; error: string } {
  switch (reason) {
    case "limit_reached":
      return { status: 402, error: "limit_reached" };
    case "no_plan":
    case "user_deleted":
    case "unknown_plan":
      return { status: 403, error: reason };
    case "unknown_user":
      return { status: 404, error: reason };
    case "unknown_metric":
    case "unknown_resource":
      return { status: 400, error: reason };
    case "unavailable":
      return { status: 503, error: reason };
    default: {
      const unhandled: never = reason;
      throw new Error(`unhandled deny reason ${String(unhandled)}`);
    }
  }
}
