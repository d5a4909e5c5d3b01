import type { RequestHandler } from "express";
import { presentedToken } from "./presented-token";
import { tokenMatcher } from "./token-matcher";

/** Lets a service request through only with a bearer token of the list (several during rotation). */
export function requireToken(tokens: readonly string[]): RequestHandler {
  const matches = tokenMatcher(tokens);
  return (req, res, next) => {
    const presented = presentedToken(req.get("authorization"), { basic: false });
    if (presented !== undefined && matches(presented)) {
      next();
      return;
    }
    res.status(401).set("WWW-Authenticate", 'Bearer realm="internal"').json({ error: "unauthorized" });
  };
}
