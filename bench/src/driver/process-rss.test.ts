import { parseVmRss, processRssBytes } from "./process-rss";

const STATUS = ["Name:\tnode", "State:\tS (sleeping)", "VmPeak:\t 1234567 kB", "VmHWM:\t  130000 kB", "VmRSS:\t  120004 kB", "RssAnon:\t   90000 kB", "Threads:\t11", ""].join("\n");

describe("parseVmRss", () => {
  it("reads the VmRSS line, not the peak or its parts, in bytes (the kernel's kB are KiB)", () => {
    expect(parseVmRss(STATUS)).toBe(120_004 * 1024);
  });

  it("has no value for a process without one (a zombie)", () => {
    expect(parseVmRss("Name:\tnode\nState:\tZ (zombie)\n")).toBeUndefined();
  });
});

describe("processRssBytes", () => {
  it("reads a live process from /proc and nothing for a pid that does not exist", () => {
    const rss = processRssBytes(process.pid)!;
    expect(rss).toBeGreaterThan(process.memoryUsage().heapUsed);
    expect(processRssBytes(2 ** 30)).toBeUndefined();
  });
});
