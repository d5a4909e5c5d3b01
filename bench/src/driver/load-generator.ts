import { performance } from "node:perf_hooks";
import { Pool } from "undici";

/** One signed delivery: path, headers and the exact body bytes. */
export interface Delivery {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Called when the delivery was answered 2xx. */
  onOk?: () => void;
}

export interface LoadResult {
  /** Milliseconds per answered request (open loop: from its due time, not from its send time). */
  latencies: number[];
  /** Answers by HTTP status; transport errors under status 0. */
  statuses: Map<number, number>;
  elapsedMs: number;
}

/**
 * The load generator, on undici's connection pool. `next` is called just before each request
 * (signing happens in this process, outside the measured servers' CPU).
 */
export class LoadGenerator {
  private readonly pool: Pool;

  constructor(url: string, connections: number) {
    this.pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  }

  /**
   * `lanes` lanes, each sending its next request as soon as the previous one was answered, for
   * a duration or until a number of requests was sent.
   */
  async closedLoop(options: { lanes: number; until: { durationMs: number } | { requests: number }; next: () => Delivery }): Promise<LoadResult> {
    const result: LoadResult = { latencies: [], statuses: new Map(), elapsedMs: 0 };
    const started = performance.now();
    const until = options.until;
    let sent = 0;
    const more = () => ("durationMs" in until ? performance.now() < started + until.durationMs : sent < until.requests);
    const lane = async () => {
      while (more()) {
        sent += 1;
        const sentAt = performance.now();
        const status = await this.send(options.next());
        this.record(result, status, performance.now() - sentAt);
      }
    };
    await Promise.all(Array.from({ length: options.lanes }, lane));
    result.elapsedMs = performance.now() - started;
    return result;
  }

  /**
   * Requests due at a fixed rate whatever the answers do. Latency counts from each request's due
   * time, so a stalled server is charged for the requests it delayed (no coordinated omission).
   */
  async openLoop(options: { rate: number; durationMs: number; next: () => Delivery }): Promise<LoadResult> {
    const result: LoadResult = { latencies: [], statuses: new Map(), elapsedMs: 0 };
    const total = Math.round((options.rate * options.durationMs) / 1000);
    const intervalMs = 1000 / options.rate;
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    let sent = 0;
    while (sent < total) {
      const now = performance.now();
      while (sent < total && started + sent * intervalMs <= now) {
        const dueAt = started + sent * intervalMs;
        inFlight.push(this.send(options.next()).then((status) => this.record(result, status, performance.now() - dueAt)));
        sent += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(inFlight);
    result.elapsedMs = performance.now() - started;
    return result;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async send(delivery: Delivery): Promise<number> {
    try {
      const response = await this.pool.request({
        method: "POST",
        path: delivery.path,
        headers: delivery.headers,
        body: delivery.body,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      await response.body.dump();
      if (response.statusCode >= 200 && response.statusCode < 300) delivery.onOk?.();
      return response.statusCode;
    } catch {
      return 0;
    }
  }

  private record(result: LoadResult, status: number, latencyMs: number): void {
    result.latencies.push(latencyMs);
    result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
  }
}

export function countOk(result: LoadResult): number {
  let ok = 0;
  for (const [status, count] of result.statuses) if (status >= 200 && status < 300) ok += count;
  return ok;
}
