import type { RejectionReason } from "@wh/webhooks";

/** The one place a refused delivery becomes an HTTP answer; short and free of details. */
export function rejectionResponse(reason: RejectionReason): { status: number; error: string } {
  switch (reason) {
    case "missing_headers":
      return { status: 400, error: "missing signature headers" };
    case "invalid_signature":
      return { status: 400, error: "invalid signature" };
    case "timestamp_out_of_tolerance":
      return { status: 400, error: "timestamp outside tolerance" };
    case "malformed_payload":
      return { status: 400, error: "malformed payload" };
    default: {
      const unhandled: never = reason;
      throw new Error(`unhandled rejection reason ${String(unhandled)}`);
    }
  }
}
