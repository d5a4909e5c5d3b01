import type { RequestHandler, Response } from "express";
import { presentedToken } from "./presented-token";
import { tokenMatcher } from "./token-matcher";

/** A viewer looks (read-only board, search); an admin also acts (retry, replay, clean). */
export type OperatorRole = "viewer" | "admin";

/** Tokens per role (several during rotation); an empty list disables the role. */
export interface OperatorTokens {
  viewer: readonly string[];
  admin: readonly string[];
}

export interface OperatorAccess {
  /** Needs at least the role: 404 when no enabled role qualifies, 401 without a known token, 403 for a viewer where an admin is needed. */
  require(role: OperatorRole): RequestHandler;
  /** Reads (GET, HEAD) need a viewer, anything else an admin. */
  requireForMethod: RequestHandler;
}

const READ_METHODS = new Set(["GET", "HEAD"]);

/**
 * Who may use the operator pages and APIs under /admin. A token, as a bearer header or as the
 * Basic-auth password with any user name, alone decides the role; the service token
 * (INTERNAL_API_TOKEN) is none of them. The role is left in `res.locals` for `operatorRole`.
 */
export function operatorAccess(tokens: OperatorTokens): OperatorAccess {
  const isAdmin = tokenMatcher(tokens.admin);
  const isViewer = tokenMatcher(tokens.viewer);
  const presentedRole = (header: string | undefined): OperatorRole | undefined => {
    const presented = presentedToken(header, { basic: true });
    if (presented === undefined) return undefined;
    const admin = isAdmin(presented);
    const viewer = isViewer(presented);
    if (admin) return "admin";
    return viewer ? "viewer" : undefined;
  };

  const require = (needed: OperatorRole): RequestHandler => {
    const enabled = needed === "admin" ? tokens.admin.length > 0 : tokens.admin.length + tokens.viewer.length > 0;
    return (req, res, next) => {
      if (!enabled) {
        res.status(404).json({ error: "not found" });
        return;
      }
      const role = presentedRole(req.get("authorization"));
      if (role === undefined) {
        res.status(401).set("WWW-Authenticate", 'Basic realm="operators", charset="UTF-8"').json({ error: "unauthorized" });
        return;
      }
      if (needed === "admin" && role !== "admin") {
        res.status(403).json({ error: "forbidden" });
        return;
      }
      res.locals.operatorRole = role;
      next();
    };
  };

  const viewer = require("viewer");
  const admin = require("admin");
  return {
    require,
    requireForMethod: (req, res, next) => (READ_METHODS.has(req.method) ? viewer : admin)(req, res, next),
  };
}

/** The role `operatorAccess` authenticated for this request. */
export function operatorRole(res: Response): OperatorRole {
  const role: unknown = res.locals.operatorRole;
  if (role !== "viewer" && role !== "admin") throw new Error("operatorRole read before operatorAccess authenticated the request");
  return role;
}
