import { readStackEnv } from "./env";
import { ServiceError } from "./service-log";

describe("readStackEnv", () => {
  it("defaults to ports 6390 and 5440 and no URLs", () => {
    expect(readStackEnv({})).toEqual({ redisPort: 6390, pgPort: 5440, redisUrl: undefined, databaseUrl: undefined });
  });

  it("takes WH_REDIS_PORT, WH_PG_PORT and the URLs; an empty URL counts as unset", () => {
    expect(readStackEnv({ WH_REDIS_PORT: "6491", WH_PG_PORT: "5541", REDIS_URL: "redis://h:1", DATABASE_URL: "" })).toEqual({
      redisPort: 6491,
      pgPort: 5541,
      redisUrl: "redis://h:1",
      databaseUrl: undefined,
    });
  });

  it.each(["abc", "0", "65536", "12.5", "-1"])("refuses the port %p, naming the variable", (value) => {
    expect(() => readStackEnv({ WH_PG_PORT: value })).toThrow(new ServiceError(`WH_PG_PORT must be a TCP port number, got '${value}'`));
  });
});
