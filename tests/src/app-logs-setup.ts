import { APP_LOG_DIR_VARIABLE, createAppLogDir } from "@wh/testkit";

/** jest global setup: every app process of this run writes its full log under one folder. */
export default async function setUpAppLogs(): Promise<void> {
  process.env[APP_LOG_DIR_VARIABLE] = await createAppLogDir();
}
