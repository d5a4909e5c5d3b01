/**
 * A Stripe object whose Clerk user cannot be found yet. Retried: the checkout that links the
 * customer may simply not have been processed; dead after the last attempt.
 */
export class UserNotLinkedError extends Error {
  override readonly name = "UserNotLinkedError";
}
