/** Why a delivery was refused. Each maps to one HTTP answer in the receiver. */
export type RejectionReason =
  | "missing_headers"
  | "invalid_signature"
  | "timestamp_out_of_tolerance"
  | "malformed_payload";

export type VerificationResult<E> = { ok: true; event: E } | { ok: false; reason: RejectionReason };

/** Providers' retry windows tolerate ±5 minutes of clock skew; so do we, in both directions. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
