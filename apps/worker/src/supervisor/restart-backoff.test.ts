import { nextDeathCount, RESTART_BACKOFF, restartDelayMs } from "./restart-backoff";

it("doubles the delay with each quick death, capped", () => {
  expect([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
});

it("starts the count over after a healthy run", () => {
  expect(nextDeathCount(0, 5)).toBe(1);
  expect(nextDeathCount(4, RESTART_BACKOFF.healthyRunMs - 1)).toBe(5);
  expect(nextDeathCount(4, RESTART_BACKOFF.healthyRunMs)).toBe(1);
});
