/** How far a long run is: started with the expected total, updated with the count done. */
export interface Progress {
  start(total: number): void;
  update(done: number): void;
  /** Clears a drawn bar so that a line written to the same terminal is not mixed into it; the bar comes back at its next redraw (10 per second). */
  clear(): void;
  stop(): void;
}
