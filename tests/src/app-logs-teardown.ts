import { APP_LOG_DIR_VARIABLE, checkAppLogsForPersonalData } from "@wh/testkit";

/** jest global teardown: the run fails when any app logged a fixture's email or name. */
export default async function checkAppLogs(): Promise<void> {
  const dir = process.env[APP_LOG_DIR_VARIABLE];
  if (dir) await checkAppLogsForPersonalData(dir);
}
