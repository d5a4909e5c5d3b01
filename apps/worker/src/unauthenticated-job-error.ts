import { UnrecoverableError } from "bullmq";

/**
 * A job whose signature is missing or wrong: never retried. Its message is the reason only,
 * nothing from the job, since BullMQ stores it as the failed reason.
 */
export class UnauthenticatedJobError extends UnrecoverableError {
  constructor(reason: "missing_signature" | "bad_signature") {
    super(`unauthenticated job: ${reason}`);
  }
}
