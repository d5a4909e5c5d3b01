import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";

export interface TokenAuthOptions {
  /**
   * Also accept HTTP Basic auth with the token as the password (any user name), and ask the
   * browser for it: Bull Board is a web page, and browsers cannot send a bearer header by themselves.
   */
  basic: boolean;
}

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

/**
 * Lets a request through only with one of the tokens (several during rotation). Compared in
 * constant time over fixed-length digests, so neither the token nor its length leaks by timing.
 */
export function requireToken(tokens: readonly string[], options: TokenAuthOptions): RequestHandler {
  const expected = tokens.map(digest);
  const matches = (candidate: string) => {
    const actual = digest(candidate);
    let found = false;
    for (const token of expected) found = timingSafeEqual(actual, token) || found;
    return found;
  };
  return (req, res, next) => {
    const presented = presentedToken(req.get("authorization"), options.basic);
    if (presented !== undefined && matches(presented)) {
      next();
      return;
    }
    res
      .status(401)
      .set("WWW-Authenticate", options.basic ? 'Basic realm="bull-board", charset="UTF-8"' : 'Bearer realm="internal"')
      .json({ error: "unauthorized" });
  };
}

function presentedToken(header: string | undefined, basic: boolean): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return undefined;
  if (scheme.toLowerCase() === "bearer") return value;
  if (basic && scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}
