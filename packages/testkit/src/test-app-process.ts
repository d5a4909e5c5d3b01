import { AppProcess as LocalAppProcess, type AppName } from "@wh/local-stack";
import { TEST_JOB_SIGNING_KEY } from "./test-secrets";

/** `@wh/local-stack`'s AppProcess with the tests' JOB_SIGNING_KEY unless `env` sets another. */
export class AppProcess extends LocalAppProcess {
  static override launch(name: AppName, env: Record<string, string>): Promise<LocalAppProcess> {
    return LocalAppProcess.launch(name, { JOB_SIGNING_KEY: TEST_JOB_SIGNING_KEY, ...env });
  }
}
