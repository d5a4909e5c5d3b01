export { verifyStripe, type VerifyStripeInput } from "./verify-stripe";
export { stripeEventEnvelope, type StripeEventEnvelope } from "./stripe-event-envelope";
export { createClerkVerifier, type ClerkEventEnvelope, type ClerkHeaders, type ClerkVerifier, type VerifyClerkInput } from "./verify-clerk";
export {
  DEFAULT_TOLERANCE_SECONDS,
  type RejectionReason,
  type VerificationResult,
} from "./verification-result";
export { minimizeStripePayload } from "./minimize-stripe-payload";
export { minimizeClerkPayload } from "./minimize-clerk-payload";
export { clerkWebhookJob, stripeWebhookJob } from "./webhook-jobs";
