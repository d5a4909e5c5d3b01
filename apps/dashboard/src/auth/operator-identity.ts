import { createHash } from "node:crypto";
import type { Request, Response } from "express";
import { operatorRole, type OperatorRole } from "./operator-access";
import { claimedBasicUser, presentedToken } from "./presented-token";

/** Who acted, for the audit trail: never the token itself. */
export interface OperatorIdentity {
  role: OperatorRole;
  /** The first 8 hex digits of the token's SHA-256: tells tokens apart (rotation), reveals nothing usable. */
  tokenFingerprint: string;
  /** The Basic-auth user name, as the operator typed it (not verified). */
  claimedUser: string | null;
}

/** The identity of a request `operatorAccess` authenticated. */
export function operatorIdentity(req: Request, res: Response): OperatorIdentity {
  const header = req.get("authorization");
  const token = presentedToken(header, { basic: true }) ?? "";
  return {
    role: operatorRole(res),
    tokenFingerprint: createHash("sha256").update(token).digest("hex").slice(0, 8),
    claimedUser: claimedBasicUser(header)?.slice(0, 200) ?? null,
  };
}
