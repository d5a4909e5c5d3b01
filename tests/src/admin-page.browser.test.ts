import { execFileSync } from "node:child_process";
import { createPrismaClient, type Prisma, type PrismaClient } from "@wh/db";
import { deleteQueueKeys } from "@wh/queue";
import { AppProcess, checkoutSession, stripeEvent, testServers, uniqueId, waitFor } from "@wh/testkit";
import { chromium, type Browser, type Page } from "playwright-core";
import { systemEnv } from "./system-env";

/**
 * The operator page in a real headless browser (Debian's chromium driven by playwright-core)
 * against the built dashboard and worker processes: an admin finds a dead event by its Stripe
 * customer, replays it through the preview step, and watches the worker settle it.
 */
const ADMIN = "browser-test-admin-token-0123456789abcdef";
const env = systemEnv({
  INTERNAL_API_TOKEN: "browser-test-service-token-0123456789abcdef",
  DASHBOARD_VIEWER_TOKEN: "browser-test-viewer-token-0123456789abcdef",
  DASHBOARD_ADMIN_TOKEN: ADMIN,
});

let prisma: PrismaClient;
let dashboard: AppProcess;
let worker: AppProcess;
let browser: Browser;
const eventIds: string[] = [];

beforeAll(async () => {
  [dashboard, worker] = await Promise.all([AppProcess.start("dashboard", env), AppProcess.start("worker", env)]);
  prisma = createPrismaClient({ databaseUrl: testServers().databaseUrl, poolMax: 2 });
  browser = await chromium.launch({ executablePath: execFileSync("sh", ["-c", "command -v chromium"]).toString().trim(), args: ["--no-sandbox"] });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([dashboard?.stop(), worker?.stop()]);
  await prisma?.webhookEvent.deleteMany({ where: { eventId: { in: eventIds } } });
  await prisma?.$disconnect();
  await deleteQueueKeys(env.REDIS_URL as string, env.QUEUE_PREFIX as string);
});

/** A checkout whose job died (say, Postgres was down through every attempt): its ledger row, as the worker's failure path writes it. */
async function deadCheckout(customerId: string): Promise<string> {
  const created = Math.floor(Date.now() / 1000) - 600;
  const payload = stripeEvent("checkout.session.completed", checkoutSession({ clerkUserId: uniqueId("user"), customerId }), { created });
  const eventId = payload.id as string;
  eventIds.push(eventId);
  await prisma.webhookEvent.create({
    data: {
      provider: "stripe",
      eventId,
      type: "checkout.session.completed",
      status: "dead",
      attempts: 8,
      lastError: "DatabaseUnavailableError: connection refused",
      objectId: (payload.data as { object: { id: string } }).object.id,
      stripeCustomerId: customerId,
      eventCreatedAt: new Date(created * 1000),
      receivedAt: new Date(created * 1000 + 500),
      payload: payload as Prisma.InputJsonObject,
    },
  });
  return eventId;
}

it("finds a customer's dead event, replays it as an admin after a preview, and shows it settled; no console errors", async () => {
  const customerId = uniqueId("cus");
  const eventId = await deadCheckout(customerId);
  const context = await browser.newContext({ httpCredentials: { username: "ops-alice", password: ADMIN } });
  const page: Page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));

  await page.goto(`${dashboard.url}/admin`);
  await page.getByLabel("Stripe customer").fill(customerId);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: eventId }).click();
  expect(await page.locator("#status").textContent()).toBe("dead");

  await page.getByRole("link", { name: "Preview a replay of this event" }).click();
  expect(await page.locator("main").textContent()).toContain("would re-add");
  await page.getByRole("button", { name: "Replay 1 delivery" }).click();
  expect(await page.getByRole("status").textContent()).toMatch(/re-added 1/);

  await page.getByRole("link", { name: eventId }).click();
  await waitFor(`event ${eventId} completed on the page`, async () => {
    await page.reload();
    return (await page.locator("#status").textContent()) === "completed" ? true : undefined;
  });
  expect(await prisma.replayAudit.findFirst({ where: { claimedUser: "ops-alice", filter: { path: ["eventId"], equals: eventId } } })).toMatchObject({
    role: "admin",
    dryRun: false,
    selected: 1,
  });
  expect(consoleErrors).toEqual([]);
  await context.close();
});
