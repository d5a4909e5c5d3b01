import { Presets, SingleBar } from "cli-progress";
import type { Progress } from "./progress";

/** Erases the current terminal line (carriage return, then ANSI "erase to end of line"). */
const ERASE_LINE = "\r\u001b[K";
/**
 * Saves the cursor position (DEC "save cursor"). The bar saves it when it starts and goes back
 * there when it stops: after lines written above the bar, the saved place must be the bar's line.
 */
const SAVE_CURSOR = "\u001b7";

/** A progress bar (cli-progress) redrawn in place on a terminal: count, percentage and time left. */
export function barProgress(stream: NodeJS.WritableStream, label: string): Progress {
  const bar = new SingleBar(
    { stream, format: `[${label}] {bar} {value}/{total} {percentage}% | eta {eta_formatted}`, barsize: 30 },
    Presets.shades_classic,
  );
  let total = 0;
  let done = 0;
  let drawn = false;
  return {
    start: (expected) => {
      total = expected;
      // Nothing to count: no bar (the summary says so).
      drawn = expected > 0;
      if (drawn) bar.start(expected, 0);
    },
    update: (value) => {
      done = value;
      if (value > total) {
        total = value;
        bar.setTotal(total);
      }
      bar.update(value);
    },
    writeAbove: (write) => {
      if (!drawn) return write();
      stream.write(ERASE_LINE);
      write();
      stream.write(SAVE_CURSOR);
    },
    stop: () => {
      if (!drawn) return;
      bar.update(done);
      bar.stop();
      drawn = false;
    },
  };
}
