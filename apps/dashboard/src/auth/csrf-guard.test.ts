import express, { type Express } from "express";
import request from "supertest";
import { csrfGuard } from "./csrf-guard";

/** Every method answers 200 behind the guard. */
function appWith(options: { publicOrigin?: string; trustProxy?: boolean } = {}): Express {
  const app = express();
  app.set("trust proxy", options.trustProxy ?? false);
  app.use(csrfGuard({ publicOrigin: options.publicOrigin }));
  app.all("/action", (_req, res) => {
    res.json({ done: true });
  });
  return app;
}

const HOST = "ops.internal:3002";
const OURS = `http://${HOST}`;

describe("csrfGuard", () => {
  const app = appWith();
  const post = (headers: Record<string, string>) => request(app).post("/action").set("Host", HOST).set(headers);

  it("follows Sec-Fetch-Site when the browser sends it: same-origin and none pass, same-site and cross-site do not", async () => {
    expect((await post({ "Sec-Fetch-Site": "same-origin" })).status).toBe(200);
    expect((await post({ "Sec-Fetch-Site": "none" })).status).toBe(200);
    const sameSite = await post({ "Sec-Fetch-Site": "same-site", Origin: OURS });
    expect([sameSite.status, sameSite.body]).toEqual([403, { error: "cross-origin request refused" }]);
    expect((await post({ "Sec-Fetch-Site": "cross-site", Origin: OURS })).status).toBe(403);
    expect((await post({ "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
  });

  it("without Sec-Fetch-Site, passes no Origin (scripts) or our own, refuses any other and the opaque null", async () => {
    expect((await post({})).status).toBe(200);
    expect((await post({ Origin: OURS })).status).toBe(200);
    expect((await post({ Origin: "http://evil.example" })).status).toBe(403);
    expect((await post({ Origin: "https://ops.internal:3002" })).status).toBe(403);
    expect((await post({ Origin: "http://ops.internal:3003" })).status).toBe(403);
    expect((await post({ Origin: "null" })).status).toBe(403);
  });

  it("checks every state-changing method and leaves reads alone", async () => {
    for (const method of ["put", "patch", "delete"] as const) {
      expect((await request(app)[method]("/action").set("Sec-Fetch-Site", "cross-site")).status).toBe(403);
    }
    expect((await request(app).get("/action").set("Sec-Fetch-Site", "cross-site")).status).toBe(200);
    expect((await request(app).head("/action").set("Sec-Fetch-Site", "cross-site")).status).toBe(200);
  });

  it("takes DASHBOARD_PUBLIC_ORIGIN as ours when set, not the Host header", async () => {
    const published = appWith({ publicOrigin: "https://ops.example.com" });
    const publishedPost = (origin: string) => request(published).post("/action").set("Host", HOST).set("Origin", origin);
    expect((await publishedPost("https://ops.example.com")).status).toBe(200);
    expect((await publishedPost(OURS)).status).toBe(403);
  });

  it("believes X-Forwarded-Host only under trust proxy", async () => {
    const forwarded = { Origin: "https://ops.example.com", "X-Forwarded-Host": "ops.example.com", "X-Forwarded-Proto": "https" };
    expect((await request(app).post("/action").set("Host", HOST).set(forwarded)).status).toBe(403);
    expect((await request(appWith({ trustProxy: true })).post("/action").set("Host", HOST).set(forwarded)).status).toBe(200);
  });
});
