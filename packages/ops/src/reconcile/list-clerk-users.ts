import { retryRateLimited, type RateLimitBackoff, type RateLimitSignal } from "./rate-limit-backoff";
import type { ClerkUsersApi } from "./clerk-users-client";

/** Users per page (Clerk allows up to 500). */
export const CLERK_PAGE_SIZE = 100;

/** A user as Clerk's API returns it: the JSON a `user.updated` webhook carries as `data`. */
export type ClerkUserJson = Record<string, unknown> & { id: string; updated_at: number };

/**
 * Every user, a page at a time, oldest sign-up first: offsets over `created_at` stay put while
 * users are updated during the run (ordering by `updated_at` would shift them between pages).
 * Deleted users are not listed.
 */
export async function* listClerkUsers(
  clerk: ClerkUsersApi,
  listing: { backoff: RateLimitBackoff; pageSize?: number },
): AsyncGenerator<ClerkUserJson[]> {
  const limit = listing.pageSize ?? CLERK_PAGE_SIZE;
  for (let offset = 0; ; offset += limit) {
    const page = await retryRateLimited(
      () => clerk.users.getUserList({ limit, offset, orderBy: "+created_at" }),
      clerkRateLimit,
      listing.backoff,
    );
    const users = page.data.map((user): unknown => user.raw).filter(isUserJson);
    if (users.length !== page.data.length) throw new Error("Clerk listed a user without an id or updated_at");
    yield users;
    if (page.data.length < limit) return;
  }
}

function isUserJson(raw: unknown): raw is ClerkUserJson {
  const user = raw as { id?: unknown; updated_at?: unknown } | null;
  return typeof user?.id === "string" && typeof user.updated_at === "number";
}

/** @clerk/backend throws a ClerkAPIResponseError with the HTTP status and Retry-After in seconds. */
function clerkRateLimit(error: unknown): RateLimitSignal {
  const failure = error as { status?: unknown; retryAfter?: unknown } | null;
  if (failure?.status !== 429) return undefined;
  return { retryAfterMs: typeof failure.retryAfter === "number" ? failure.retryAfter * 1000 : undefined };
}
