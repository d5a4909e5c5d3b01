import type { Logger } from "@wh/core";
import { Prisma, type PrismaClient } from "@wh/db";
import { jobFromLedgerRow, replayWebhookJob, type LedgerRowJobFields, type ReplayWebhookJobOptions, type WebhookJob } from "@wh/queue";
import { WAIT_KEY_EXISTS_SQL, type WaitKey } from "./wait-key";

export interface ReleaseDependencies {
  prisma: PrismaClient;
  log: Logger;
  /** The webhook queues and the producer's job options: a released event is replayed like any other. */
  replay: ReplayWebhookJobOptions;
}

/**
 * How a deferred event ends in BullMQ, and how it runs again.
 *
 * The job that defers completes: its ledger row is `deferred`, holding the payload and the wait
 * key, and nothing of it stays delayed in Redis. Keeping a delayed job for days would make Redis
 * (which may lose a second of writes, and evicts completed jobs by age) the only place a waiting
 * event lives; the ledger is the source of truth, so exactly-once stays the ledger's one rule:
 * a re-run applies under the delivery's lock only while the row is not settled.
 *
 * An event runs again through the replay path (`replayWebhookJob`: a `…_replay_<n>` job with the
 * same event id, added like every replayed job), when:
 * - a job that made a key exist (linked a customer, stored a subscription) has completed;
 * - a job that deferred has completed and its key exists by then: the key appeared between the
 *   deferral's commit and the job's completion, when a release could not add a job of it yet;
 * - the sweep (every few minutes) finds its key, in case a worker died before releasing.
 * Each path may release an event another already released: the replay finds it queued, or the
 * second run finds the row settled and does nothing.
 */
export async function releaseDeferredEvents(deps: ReleaseDependencies, waitKey?: WaitKey): Promise<number> {
  const jobs = await runnableDeferredJobs(deps.prisma, waitKey);
  for (const job of jobs) {
    const { outcome, jobId } = await replayWebhookJob(deps.replay, job);
    deps.log.info({ provider: job.provider, eventId: job.eventId, type: job.type, outcome, jobId }, "deferred event released");
  }
  return jobs.length;
}

/** The jobs of deferred events whose key exists now (all, or those waiting on one key), oldest event first. */
export async function runnableDeferredJobs(prisma: PrismaClient, waitKey?: WaitKey): Promise<WebhookJob[]> {
  const byKey = waitKey === undefined ? Prisma.empty : Prisma.sql`AND w.wait_key = ${waitKey}`;
  const rows = await prisma.$queryRaw<LedgerRowJobFields[]>`
    SELECT w.provider::text AS provider, w.event_id AS "eventId", w.type, w.object_id AS "objectId",
           w.event_created_at AS "eventCreatedAt", w.received_at AS "receivedAt", w.payload
    FROM webhook_events w
    WHERE w.status = 'deferred' ${byKey} AND ${Prisma.raw(WAIT_KEY_EXISTS_SQL)}
    ORDER BY w.event_created_at, w.id`;
  return rows.map(jobFromLedgerRow);
}
