import {
  allWebhookQueues,
  closeWebhookQueues,
  createProducerConnection,
  createWebhookQueues,
  deleteQueueKeys,
  type WebhookQueues,
} from "@wh/queue";
import { testServers, uniqueQueuePrefix } from "@wh/testkit";

/** Webhook queues of one test's own (a unique prefix) on the test Redis; `close` deletes every key under it. */
export interface OwnTestQueues {
  queues: WebhookQueues;
  close(): Promise<void>;
}

export async function openOwnTestQueues(): Promise<OwnTestQueues> {
  const redis = createProducerConnection(testServers().redisUrl);
  const prefix = uniqueQueuePrefix();
  const queues = createWebhookQueues(redis, prefix);
  await Promise.all(allWebhookQueues(queues).map((queue) => queue.waitUntilReady()));
  return {
    queues,
    close: async () => {
      await closeWebhookQueues(queues);
      redis.disconnect();
      await deleteQueueKeys(testServers().redisUrl, prefix);
    },
  };
}
