import { Presets, SingleBar } from "cli-progress";
import type { Progress } from "./progress";

/** Erases the current terminal line (carriage return, then ANSI "erase to end of line"). */
const ERASE_LINE = "\r\u001b[K";

/** A progress bar (cli-progress) redrawn in place on a terminal: count, percentage and time left. */
export function barProgress(stream: NodeJS.WritableStream, label: string): Progress {
  const bar = new SingleBar(
    { stream, format: `[${label}] {bar} {value}/{total} {percentage}% | eta {eta_formatted}`, barsize: 30 },
    Presets.shades_classic,
  );
  let total = 0;
  let done = 0;
  return {
    start: (expected) => {
      total = expected;
      bar.start(expected, 0);
    },
    update: (value) => {
      done = value;
      if (value > total) {
        total = value;
        bar.setTotal(total);
      }
      bar.update(value);
    },
    clear: () => {
      stream.write(ERASE_LINE);
    },
    stop: () => {
      bar.update(done);
      bar.stop();
    },
  };
}
