import { errorMessage, type Logger } from "@wh/core";
import { isDatabaseUnavailable } from "@wh/db";
import { Worker, type Job } from "bullmq";

type Processor<T, R> = (job: Job<T>, token?: string, signal?: AbortSignal) => Promise<R>;

/**
 * An outage of Postgres must not burn the attempts of every queued event. When the database
 * cannot be reached, the job goes back to the queue without counting an attempt and the whole
 * queue pauses for `pauseMs` (BullMQ's manual rate limit); it resumes on its own afterwards.
 */
export function pauseOnDatabaseOutage<T, R>(
  processor: Processor<T, R>,
  options: { worker: () => Worker<T>; pauseMs: number; log: Logger },
): Processor<T, R> {
  return async (job, token, signal) => {
    try {
      return await processor(job, token, signal);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      options.log.warn(
        { queue: job.queueName, jobId: job.id, pauseMs: options.pauseMs, err: errorMessage(error) },
        "database unavailable: pausing the queue, the job keeps its attempts",
      );
      await options.worker().rateLimit(options.pauseMs);
      throw Worker.RateLimitError();
    }
  };
}
