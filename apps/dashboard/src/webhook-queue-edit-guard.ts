import { addJobHandler } from "@bull-board/api/dist/handlers/addJob.js";
import { updateJobDataHandler } from "@bull-board/api/dist/handlers/updateJobData.js";
import { updateJobSchedulerHandler } from "@bull-board/api/dist/handlers/updateJobScheduler.js";
import { appRoutes } from "@bull-board/api/dist/routes.js";
import type { Queue } from "bullmq";
import { Router, type RequestHandler } from "express";

/**
 * Bull Board's own routes that write what a job carries or when a scheduler runs: add a job,
 * replace a job's data, change a scheduler. Found in its route table by handler, so a renamed
 * path in a later version is still covered.
 */
export const WEBHOOK_QUEUE_EDIT_ROUTES = appRoutes.api.filter((route) =>
  [addJobHandler, updateJobDataHandler, updateJobSchedulerHandler].some((handler) => handler === route.handler),
);

/**
 * Refuses those routes on the webhook queues for every role, admins included: a webhook job is
 * a delivery the receiver verified, and one made or edited by hand could grant any plan to any
 * user. Mounted at the board's path in front of the boards, with Express matching the paths
 * exactly as the board's own router does. The maintenance queue keeps them for admins.
 */
export function webhookQueueEditGuard(webhookQueues: readonly Queue[]): RequestHandler {
  const names = new Set(webhookQueues.map((queue) => queue.name));
  const guard = Router();
  for (const route of WEBHOOK_QUEUE_EDIT_ROUTES) {
    for (const method of [route.method].flat()) {
      guard[method](route.route, (req, res, next) => {
        if (!names.has(String(req.params.queueName))) {
          next();
          return;
        }
        res.status(403).json({ error: "webhook jobs cannot be added or edited" });
      });
    }
  }
  return guard;
}
