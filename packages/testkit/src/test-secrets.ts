/** Secrets used by tests; Svix secrets are `whsec_` + base64. */
export const TEST_STRIPE_SECRET = "whsec_test_stripe_secret_0123456789";
export const TEST_STRIPE_SECRET_NEXT = "whsec_test_stripe_secret_rotated_9876543210";
export const TEST_CLERK_SECRET = `whsec_${Buffer.from("test-clerk-secret-0123456789abcdef").toString("base64")}`;
export const TEST_CLERK_SECRET_NEXT = `whsec_${Buffer.from("test-clerk-secret-rotated-fedcba98").toString("base64")}`;
