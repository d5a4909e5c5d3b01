import { performance } from "node:perf_hooks";
import { processRssBytes } from "./process-rss";
import type { RssPoint } from "./soak-memory";

/** A process to watch: its label in the report and its pid (the node process itself, not a wrapper). */
export interface RssSource {
  label: string;
  pid: number;
}

/**
 * Reads each process's RSS every `intervalMs` from the moment `start` is called until `stop`
 * (a synchronous /proc read per process: no I/O queue in between, so a busy event loop only
 * delays a reading, it does not distort it). A process that is gone is skipped.
 */
export class RssSampler {
  readonly series: Record<string, RssPoint[]>;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;

  constructor(
    private readonly sources: readonly RssSource[],
    private readonly intervalMs = 1_000,
  ) {
    this.series = Object.fromEntries(sources.map((source) => [source.label, []]));
  }

  start(): void {
    this.startedAt = performance.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    const atSeconds = (performance.now() - this.startedAt) / 1000;
    for (const source of this.sources) {
      const bytes = processRssBytes(source.pid);
      if (bytes !== undefined) this.series[source.label]!.push({ atSeconds, bytes });
    }
  }
}
