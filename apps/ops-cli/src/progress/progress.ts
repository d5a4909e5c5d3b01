/** How far a long run is: started with the expected total, updated with the count done. */
export interface Progress {
  start(total: number): void;
  update(done: number): void;
  /**
   * Runs `write` (another line for the terminal the bar is drawn on) so that the line lands above
   * the bar instead of inside it; the bar comes back below it at its next redraw (10 per second).
   */
  writeAbove(write: () => void): void;
  stop(): void;
}
