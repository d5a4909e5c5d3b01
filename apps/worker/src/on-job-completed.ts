import { errorMessage } from "@wh/core";
import type { Job } from "bullmq";
import type { ApplyResult } from "./apply-webhook-event";
import { releaseDeferredEvents, type ReleaseDependencies } from "./deferred/release-deferred-events";
import type { WaitKey } from "./deferred/wait-key";

/**
 * The key whose deferred events may run once this result's job is completed: the key it made
 * exist, or the key it waits for (which may have appeared between its deferral and its completion).
 */
export function keyToRelease(result: ApplyResult): WaitKey | undefined {
  return result.provides ?? result.waitKey;
}

/**
 * BullMQ's `completed` event: once a job that made a key exist, or that deferred, is completed,
 * the deferred events whose key exists run again (see deferred/release-deferred-events.ts for
 * why after completion and not inside the transaction). A failure here loses nothing: the rows
 * stay `deferred` and the sweep releases them.
 */
export function onJobCompleted(deps: ReleaseDependencies) {
  return async (job: Job, result: ApplyResult): Promise<void> => {
    const waitKey = keyToRelease(result);
    if (!waitKey) return;
    try {
      await releaseDeferredEvents(deps, waitKey);
    } catch (error) {
      deps.log.warn({ jobId: job.id, waitKey, err: errorMessage(error) }, "could not release deferred events; the sweep will");
    }
  };
}
