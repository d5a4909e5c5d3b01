import { barProgress } from "./bar-progress";
import { lineProgress } from "./line-progress";
import type { Progress } from "./progress";

/** A bar when `stream` is a terminal; otherwise a plain line after every `every` items. */
export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, label: string, every: number): Progress {
  return stream.isTTY === true ? barProgress(stream, label) : lineProgress((line) => stream.write(`${line}\n`), label, every);
}
