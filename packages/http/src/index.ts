export { boundPort, closeServer, listen, SERVER_TIMEOUTS } from "./listen";
export { healthEndpoint, opsEndpoints, opsListener } from "./ops-endpoints";
export { shutdownOnSignals } from "./shutdown-on-signals";
export { jsonErrorHandler, requireJsonContentType } from "./json-request-guards";
