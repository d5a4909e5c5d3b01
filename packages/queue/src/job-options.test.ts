import { z } from "zod";
import { webhookJobOptions } from "./job-options";
import { retryPolicyEnvFields, retryPolicyFromEnv } from "./retry-policy-env";

const optionsFromEnv = (env: Record<string, string>) => webhookJobOptions(retryPolicyFromEnv(z.object(retryPolicyEnvFields).parse(env)));

it("caps kept jobs by count as well as age, by default", () => {
  expect(optionsFromEnv({})).toMatchObject({
    removeOnComplete: { age: 24 * 3600, count: 50_000 },
    removeOnFail: { age: 14 * 24 * 3600, count: 50_000 },
  });
});

it("takes both caps from the environment", () => {
  const options = optionsFromEnv({
    JOB_KEEP_COMPLETED_SECONDS: "60",
    JOB_KEEP_COMPLETED_COUNT: "10",
    JOB_KEEP_FAILED_SECONDS: "120",
    JOB_KEEP_FAILED_COUNT: "20",
  });
  expect(options).toMatchObject({ removeOnComplete: { age: 60, count: 10 }, removeOnFail: { age: 120, count: 20 } });
});
