import type { Request, RequestHandler } from "express";

export interface CsrfGuardOptions {
  /** DASHBOARD_PUBLIC_ORIGIN: the origin browsers use. Without it, the request's own host (X-Forwarded-Host only under `trust proxy`). */
  publicOrigin: string | undefined;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a browser's state change that another site started. Browsers send Basic-auth
 * credentials by themselves, so a form or fetch on another site could otherwise act as a
 * logged-in operator. `Sec-Fetch-Site` decides when present: `same-origin` or `none` (typed in
 * the address bar) pass, `same-site` and `cross-site` do not. Without it (older browsers,
 * scripts) an `Origin` must be ours; no `Origin` at all is a script or a same-origin GET form,
 * which passes, so scripts with credentials and no browser headers keep working.
 */
export function csrfGuard(options: CsrfGuardOptions): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || isSameOrigin(req, options.publicOrigin)) {
      next();
      return;
    }
    res.status(403).json({ error: "cross-origin request refused" });
  };
}

function isSameOrigin(req: Request, publicOrigin: string | undefined): boolean {
  const fetchSite = req.get("sec-fetch-site");
  if (fetchSite !== undefined) return fetchSite === "same-origin" || fetchSite === "none";
  const origin = req.get("origin");
  if (origin === undefined) return true;
  const ours = publicOrigin ?? originOf(`${req.protocol}://${req.host}`);
  return ours !== undefined && originOf(origin) === ours;
}

/** Normalised origin (default ports dropped), or undefined for `null` and other non-URLs. */
const originOf = (raw: string): string | undefined => (URL.canParse(raw) ? new URL(raw).origin : undefined);
