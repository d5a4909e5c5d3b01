/** Thrown at start-up when the environment cannot produce a working configuration. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
