export { signStripe } from "./sign-stripe";
export { signClerk } from "./sign-clerk";
export {
  checkoutSession,
  clerkUserDeletedEvent,
  clerkUserEvent,
  FIXTURE_EMAIL_DOMAIN,
  FIXTURE_NAMES,
  invoiceObject,
  stripeEvent,
  subscriptionObject,
  uniqueId,
  type SubscriptionOptions,
} from "./provider-payloads";
