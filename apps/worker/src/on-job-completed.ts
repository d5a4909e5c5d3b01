import { errorMessage } from "@wh/core";
import type { Job } from "bullmq";
import type { ApplyResult } from "./apply-webhook-event";
import { releaseDeferredEvents, type ReleaseDependencies } from "./deferred/release-deferred-events";

/**
 * BullMQ's `completed` event: once a job that made a key exist, or that deferred, is completed,
 * the deferred events whose key exists run again (see deferred/release-deferred-events.ts for
 * why after completion and not inside the transaction). A failure here loses nothing: the rows
 * stay `deferred` and the sweep releases them.
 */
export function onJobCompleted(deps: ReleaseDependencies) {
  return async (job: Job, result: ApplyResult): Promise<void> => {
    const waitKey = result.provides ?? result.waitKey;
    if (!waitKey) return;
    try {
      await releaseDeferredEvents(deps, waitKey);
    } catch (error) {
      deps.log.warn({ jobId: job.id, waitKey, err: errorMessage(error) }, "could not release deferred events; the sweep will");
    }
  };
}
