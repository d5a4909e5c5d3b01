import { deliver, eventKey, type FaultEvent } from "./fault-events";

/** Responses so far, over every run of one driver (re-sends included). */
export interface LoadStats {
  sent: number;
  ok2xx: number;
  unavailable503: number;
  /** Any other status: always a bug (a 500, or a 4xx for a correctly signed delivery). */
  other: number;
  /** No HTTP answer at all (connection refused or reset, timeout). */
  errors: number;
}

/** One delivery attempt with its time span, for checks like "every answer during the outage was 503". */
export interface DeliveryRecord {
  key: string;
  status: number | "error";
  startedAt: number;
  finishedAt: number;
}

export interface RunOptions {
  /** Requests in flight at most. */
  concurrency: number;
  /** Pace of new requests; unbounded when absent. */
  ratePerSecond?: number;
}

/**
 * Sends signed deliveries to the receiver with bounded concurrency, as a provider would, and
 * remembers which events were acknowledged (2xx) so that only those are expected to apply.
 */
export class LoadDriver {
  readonly stats: LoadStats = { sent: 0, ok2xx: 0, unavailable503: 0, other: 0, errors: 0 };
  readonly records: DeliveryRecord[] = [];
  private readonly acked = new Map<string, FaultEvent>();
  private readonly unacked = new Map<string, FaultEvent>();
  private aborted = false;

  constructor(private readonly receiverUrl: () => string) {}

  /** Delivers each event once; resolves when every request has an answer (or an error). */
  async run(events: readonly FaultEvent[], options: RunOptions): Promise<void> {
    let next = 0;
    const startedAt = Date.now();
    const lane = async () => {
      while (!this.aborted && next < events.length) {
        const index = next++;
        const event = events[index]!;
        if (options.ratePerSecond) {
          const due = startedAt + (index * 1000) / options.ratePerSecond;
          if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        }
        await this.deliverOnce(event);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, events.length) }, lane));
  }

  /** Ends every run after its requests in flight (cleanup after a failed test). */
  abort(): void {
    this.aborted = true;
  }

  /** What a provider does with unacknowledged deliveries: send them again, a few rounds apart. */
  async resendUnacked(options: RunOptions & { rounds: number; pauseMs: number }): Promise<void> {
    for (let round = 0; round < options.rounds && this.unacked.size > 0 && !this.aborted; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      await this.run([...this.unacked.values()], options);
    }
  }

  /** Distinct events that got a 2xx at least once. */
  ackedEvents(): FaultEvent[] {
    return [...this.acked.values()];
  }

  /** Distinct events that never got a 2xx. */
  unackedEvents(): FaultEvent[] {
    return [...this.unacked.values()];
  }

  private async deliverOnce(event: FaultEvent): Promise<void> {
    const key = eventKey(event);
    const startedAt = Date.now();
    this.stats.sent++;
    const status = await deliver(this.receiverUrl(), event);
    this.records.push({ key, status, startedAt, finishedAt: Date.now() });
    if (status === "error") this.stats.errors++;
    else if (status >= 200 && status < 300) this.stats.ok2xx++;
    else if (status === 503) this.stats.unavailable503++;
    else this.stats.other++;
    if (typeof status === "number" && status >= 200 && status < 300) {
      this.acked.set(key, event);
      this.unacked.delete(key);
    } else if (!this.acked.has(key)) {
      this.unacked.set(key, event);
    }
  }
}
