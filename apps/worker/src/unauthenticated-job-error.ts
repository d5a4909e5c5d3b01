import type { SignatureFailure } from "@wh/queue";
import { UnrecoverableError } from "bullmq";

/**
 * A job whose signature is missing or wrong: never retried. Its message is the reason only,
 * nothing from the job, since BullMQ stores it as the failed reason.
 */
export class UnauthenticatedJobError extends UnrecoverableError {
  constructor(reason: SignatureFailure) {
    super(`unauthenticated job: ${reason}`);
  }
}
