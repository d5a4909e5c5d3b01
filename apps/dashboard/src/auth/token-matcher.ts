import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

/**
 * Whether a presented token is one of the given tokens (several during rotation). Compared in
 * constant time over fixed-length digests, and against every token, so neither a token, its
 * length nor its position leaks by timing. No tokens: nothing matches.
 */
export function tokenMatcher(tokens: readonly string[]): (candidate: string) => boolean {
  const expected = tokens.map(digest);
  return (candidate) => {
    const actual = digest(candidate);
    let found = false;
    for (const token of expected) found = timingSafeEqual(actual, token) || found;
    return found;
  };
}
