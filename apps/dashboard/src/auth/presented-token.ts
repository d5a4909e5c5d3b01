export interface PresentedTokenOptions {
  /**
   * Also take the password of HTTP Basic auth (any user name): browsers cannot send a bearer
   * header by themselves, so the operator pages accept both.
   */
  basic: boolean;
}

/** The token a request presents in its Authorization header, if any. */
export function presentedToken(header: string | undefined, options: PresentedTokenOptions): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return undefined;
  if (scheme.toLowerCase() === "bearer") return value;
  if (options.basic && scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

/** The user name of HTTP Basic auth, as typed: claimed, never checked (the password is the token). */
export function claimedBasicUser(header: string | undefined): string | undefined {
  const [scheme, value] = (header ?? "").trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() !== "basic" || !value) return undefined;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}
