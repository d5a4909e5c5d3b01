import express, { type Express } from "express";
import request from "supertest";
import { operatorAccess, operatorRole, type OperatorTokens } from "./operator-access";

const VIEWER = "viewer-token-0123456789abcdef-0123456789";
const VIEWER_NEXT = "viewer-token-rotated-fedcba9876543210";
const ADMIN = "admin-token-0123456789abcdef-0123456789ab";

/** A page for viewers, an action for admins, and a route whose method decides. */
function appWith(tokens: OperatorTokens): Express {
  const app = express();
  const access = operatorAccess(tokens);
  const answer: express.RequestHandler = (_req, res) => {
    res.json({ role: operatorRole(res) });
  };
  app.get("/page", access.require("viewer"), answer);
  app.post("/action", access.require("admin"), answer);
  app.all("/board", access.requireForMethod, answer);
  return app;
}

const both = appWith({ viewer: [VIEWER, VIEWER_NEXT], admin: [ADMIN] });

describe("operatorAccess", () => {
  it("lets the token alone decide the role, as a bearer header or as a Basic-auth password with any user name", async () => {
    for (const token of [VIEWER, VIEWER_NEXT]) {
      expect((await request(both).get("/page").set("Authorization", `Bearer ${token}`)).body).toEqual({ role: "viewer" });
      expect((await request(both).get("/page").auth("anyone", token)).body).toEqual({ role: "viewer" });
    }
    expect((await request(both).get("/page").auth("viewer", ADMIN)).body).toEqual({ role: "admin" });
    expect((await request(both).post("/action").set("Authorization", `Bearer ${ADMIN}`)).body).toEqual({ role: "admin" });
  });

  it("answers 401 with a Basic challenge without a known token, and 403 to a viewer where an admin is needed", async () => {
    const none = await request(both).get("/page");
    expect([none.status, none.body]).toEqual([401, { error: "unauthorized" }]);
    expect(none.headers["www-authenticate"]).toMatch(/^Basic realm="operators"/);
    expect((await request(both).get("/page").auth(VIEWER, "")).status).toBe(401);
    expect((await request(both).get("/page").set("Authorization", `Bearer ${VIEWER}x`)).status).toBe(401);
    expect((await request(both).get("/page").set("Authorization", VIEWER)).status).toBe(401);
    const viewer = await request(both).post("/action").auth("ops", VIEWER);
    expect([viewer.status, viewer.body]).toEqual([403, { error: "forbidden" }]);
  });

  it("reads need a viewer, every other method an admin", async () => {
    expect((await request(both).get("/board").auth("ops", VIEWER)).status).toBe(200);
    expect((await request(both).head("/board").auth("ops", VIEWER)).status).toBe(200);
    for (const method of ["post", "put", "patch", "delete", "options"] as const) {
      expect((await request(both)[method]("/board").auth("ops", VIEWER)).status).toBe(403);
      expect((await request(both)[method]("/board").auth("ops", ADMIN)).status).toBe(200);
    }
  });

  it("disables a role without tokens: what needs it answers 404 whatever the credential", async () => {
    const viewersOnly = appWith({ viewer: [VIEWER], admin: [] });
    expect((await request(viewersOnly).get("/page").auth("ops", VIEWER)).status).toBe(200);
    expect((await request(viewersOnly).post("/action").auth("ops", VIEWER)).status).toBe(404);
    expect((await request(viewersOnly).put("/board").auth("ops", VIEWER)).status).toBe(404);
    expect((await request(viewersOnly).post("/action")).status).toBe(404);

    const adminsOnly = appWith({ viewer: [], admin: [ADMIN] });
    expect((await request(adminsOnly).get("/page").auth("ops", ADMIN)).body).toEqual({ role: "admin" });
    expect((await request(adminsOnly).get("/page").auth("ops", VIEWER)).status).toBe(401);

    const nobody = appWith({ viewer: [], admin: [] });
    expect((await request(nobody).get("/page")).status).toBe(404);
    expect((await request(nobody).get("/board").auth("ops", ADMIN)).status).toBe(404);
  });
});
