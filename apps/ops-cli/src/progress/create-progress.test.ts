import { PassThrough } from "node:stream";
import { createProgress } from "./create-progress";
import { formatProgress } from "./line-progress";

function capture(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const stream: PassThrough & { isTTY?: boolean } = new PassThrough();
  stream.isTTY = isTTY;
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

function runTo(progress: ReturnType<typeof createProgress>, total: number, done: number): void {
  progress.start(total);
  for (let n = 1; n <= done; n += 1) progress.update(n);
  progress.stop();
}

describe("createProgress", () => {
  it("writes plain lines, every N items, when the stream is not a terminal", () => {
    const { stream, text } = capture(false);

    runTo(createProgress(stream, "replay", 3), 7, 7);

    expect(text()).toBe("[replay] 3/7\n[replay] 6/7\n");
  });

  it("draws a bar in place on a terminal, ending at the count done", () => {
    const { stream, text } = capture(true);

    runTo(createProgress(stream, "replay", 3), 7, 7);

    const output = text();
    expect(output).toMatch(/\[replay\] [█░]{30} 7\/7 100%/);
    expect(output).not.toContain("[replay] 3/7\n");
  });

  it("writes other lines above the bar, and draws no bar when there is nothing to count", () => {
    const { stream, text } = capture(true);
    const progress = createProgress(stream, "replay", 3);

    progress.start(2);
    progress.update(1);
    progress.writeAbove(() => stream.write("retried provider=stripe event=evt_1\n"));
    progress.update(2);
    progress.stop();

    // Erase the bar's line, the line, then save the cursor there: the bar's stop returns to it.
    expect(text()).toContain("\r\u001b[Kretried provider=stripe event=evt_1\n\u001b7");
    expect(text()).toMatch(/2\/2 100%/);

    const empty = capture(true);
    const nothing = createProgress(empty.stream, "replay", 3);
    nothing.start(0);
    nothing.writeAbove(() => empty.stream.write("line\n"));
    nothing.stop();
    expect(empty.text()).toBe("line\n");
  });

  it("never shows more done than the total, when rows turned up during the run", () => {
    expect(formatProgress("replay", 200, 1_234)).toBe("[replay] 200/1,234");
    expect(formatProgress("replay", 1_300, 1_234)).toBe("[replay] 1,300/1,300");

    const { stream, text } = capture(true);
    runTo(createProgress(stream, "replay", 3), 2, 3);
    expect(text()).toMatch(/3\/3 100%/);
  });
});
