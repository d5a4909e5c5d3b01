import { RssSampler } from "./rss-sampler";

describe("RssSampler", () => {
  it("reads each live process when it starts and when it stops, and skips a process that is gone", () => {
    const sampler = new RssSampler([
      { label: "self", pid: process.pid },
      { label: "gone", pid: 2 ** 30 },
    ]);
    sampler.start();
    sampler.stop();
    expect(sampler.series.self).toHaveLength(2);
    expect(sampler.series.self!.every((point) => point.bytes > 0 && point.atSeconds >= 0)).toBe(true);
    expect(sampler.series.gone).toEqual([]);
  });
});
