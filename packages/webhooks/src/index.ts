export { verifyStripe, type StripeEventEnvelope, type VerifyStripeInput } from "./verify-stripe";
export { createClerkVerifier, type ClerkEventEnvelope, type ClerkHeaders, type ClerkVerifier, type VerifyClerkInput } from "./verify-clerk";
export {
  DEFAULT_TOLERANCE_SECONDS,
  type RejectionReason,
  type VerificationResult,
} from "./verification-result";
export { minimizeStripePayload } from "./minimize-stripe-payload";
export { minimizeClerkPayload } from "./minimize-clerk-payload";
