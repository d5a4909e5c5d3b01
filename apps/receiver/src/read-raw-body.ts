import type { IncomingMessage } from "node:http";

/**
 * The request's exact bytes (what the signature covers), or "too_large" past `limitBytes`. A
 * declared Content-Length over the limit is refused without buffering; either way the rest of
 * the body is read off (not kept) before answering, as body-parser does, so the client sees the
 * answer instead of a reset. Rejects with a 400-typed error when the client aborts.
 */
export function readRawBody(req: IncomingMessage, limitBytes: number): Promise<Buffer | "too_large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers["content-length"]) > limitBytes;
    req.on("data", (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limitBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => resolve(tooLarge ? "too_large" : Buffer.concat(chunks, size)));
    req.once("error", () => reject(Object.assign(new Error("request aborted"), { type: "request.aborted", status: 400 })));
  });
}
