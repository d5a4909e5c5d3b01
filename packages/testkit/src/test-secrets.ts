/** Secrets used by tests; Svix secrets are `whsec_` + base64. */
export const TEST_STRIPE_SECRET = "whsec_test_stripe_secret_0123456789";
export const TEST_STRIPE_SECRET_NEXT = "whsec_test_stripe_secret_rotated_9876543210";
export const TEST_CLERK_SECRET = `whsec_${Buffer.from("test-clerk-secret-0123456789abcdef").toString("base64")}`;
export const TEST_CLERK_SECRET_NEXT = `whsec_${Buffer.from("test-clerk-secret-rotated-fedcba98").toString("base64")}`;
/** JOB_SIGNING_KEY of the test apps and of tests that enqueue jobs; `_NEXT` is its rotation successor. */
export const TEST_JOB_SIGNING_KEY = "test-job-signing-key-0123456789abcdef";
export const TEST_JOB_SIGNING_KEY_NEXT = "test-job-signing-key-rotated-fedcba9876543210";
