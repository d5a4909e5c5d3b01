import type { Progress } from "./progress";

const number = (n: number): string => n.toLocaleString("en-US");

/** `[replay] 200/1,234`: how far a run is; `total` is the count when the run started. */
export function formatProgress(label: string, done: number, total: number): string {
  return `[${label}] ${number(done)}/${number(Math.max(done, total))}`;
}

/** Progress as plain lines, one after every `every` items: for logs and pipes, where a bar would be noise. */
export function lineProgress(writeLine: (line: string) => void, label: string, every: number): Progress {
  let total = 0;
  return {
    start: (expected) => {
      total = expected;
    },
    update: (done) => {
      if (done > 0 && done % every === 0) writeLine(formatProgress(label, done, total));
    },
    writeAbove: (write) => write(),
    stop: () => undefined,
  };
}
