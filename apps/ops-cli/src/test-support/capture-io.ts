import { PassThrough } from "node:stream";
import type { CliIo } from "../cli-io";

/** A CliIo on memory streams (not terminals), with what each stream received. */
export function captureIo(env: Record<string, string | undefined> = {}): { io: CliIo; stdout: () => string; stderr: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  return {
    io: { env, stdout, stderr, signal: new AbortController().signal },
    stdout: () => Buffer.concat(out).toString(),
    stderr: () => Buffer.concat(err).toString(),
  };
}
