/** A process (or a server's group of processes) whose CPU time can be read, in µs. */
export interface CpuSource {
  label: string;
  read(): number;
}

/** CPU spent by each source between `start` and `stop`, in µs. */
export class CpuMeter {
  private startedAt = new Map<string, number>();

  constructor(private readonly sources: readonly CpuSource[]) {}

  start(): void {
    this.startedAt = new Map(this.sources.map((source) => [source.label, source.read()]));
  }

  stop(): Record<string, number> {
    return Object.fromEntries(this.sources.map((source) => [source.label, source.read() - (this.startedAt.get(source.label) ?? 0)]));
  }
}
