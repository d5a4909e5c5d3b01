import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import type { Router } from "express";

/** Where Bull Board is mounted on the dashboard app. */
export const BULL_BOARD_PATH = "/admin/queues";

/**
 * Bull Board over the webhook queues and the maintenance queue (its job schedulers and their
 * runs). Operators retry failed jobs from it, so it is mounted behind the same token auth.
 */
export function bullBoardRouter(queues: readonly Queue[]): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: "Webhook backbone" } },
  });
  return serverAdapter.getRouter() as Router;
}
