import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import type { RequestHandler, Router } from "express";
import { ADMIN_PAGE_PATH } from "./admin/admin-path";
import { operatorRole, type OperatorRole } from "./auth/operator-access";

/** Where Bull Board is mounted on the dashboard app. */
export const BULL_BOARD_PATH = "/admin/queues";

/** What Bull Board shows: the webhook queues, and the maintenance queue with its job schedulers. */
export interface BoardQueues {
  webhooks: readonly Queue[];
  maintenance: Queue;
}

const WEBHOOK_QUEUE_DESCRIPTION = "Jobs come from the receiver only: adding a job or editing its data is refused.";

function bullBoardRouter(queues: BoardQueues, role: OperatorRole): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  const readOnlyMode = role === "viewer";
  createBullBoard({
    queues: [
      ...queues.webhooks.map((queue) => new BullMQAdapter(queue, { readOnlyMode, description: WEBHOOK_QUEUE_DESCRIPTION })),
      new BullMQAdapter(queues.maintenance, { readOnlyMode }),
    ],
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: readOnlyMode ? "Webhook backbone (read-only)" : "Webhook backbone",
        // The operators' search and replay pages (server-rendered, apps/dashboard/src/admin).
        miscLinks: [{ text: "Find & replay events", url: ADMIN_PAGE_PATH }],
      },
    },
  });
  return serverAdapter.getRouter() as Router;
}

/**
 * One Bull Board per role, chosen per request after `operatorAccess` authenticated it. Bull
 * Board fixes `readOnlyMode` per queue adapter when it is built, so the viewer's board has
 * read-only adapters throughout; its server still answers some writes (pause-all, resume-all,
 * retry) on read-only queues, which is why the method guard in front of both boards comes first.
 */
export function bullBoardForRoles(queues: BoardQueues): RequestHandler {
  const boards: Record<OperatorRole, Router> = {
    viewer: bullBoardRouter(queues, "viewer"),
    admin: bullBoardRouter(queues, "admin"),
  };
  return (req, res, next) => boards[operatorRole(res)](req, res, next);
}
