// Waits until GET URL answers 2xx. Exits 0 then, 1 after SECONDS or as soon as PID (when given)
// has exited. Usage: node loadtest/wait-for-http.js URL SECONDS [PID]
"use strict";

const [url, seconds = "30", pid] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;

/** Alive and not a zombie (an exited child its parent has not reaped yet still passes kill 0). */
function alive(processId) {
  try {
    process.kill(Number(processId), 0);
  } catch {
    return false;
  }
  try {
    const stat = require("node:fs").readFileSync(`/proc/${processId}/stat`, "utf8");
    return !/^\S+ \(.*\) [ZX]/s.test(stat);
  } catch {
    return true;
  }
}

async function main() {
  while (Date.now() < deadline) {
    if (pid && !alive(pid)) {
      process.stderr.write(`process ${pid} exited before ${url} answered\n`);
      return 1;
    }
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (response?.ok) return 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.stderr.write(`${url} did not answer 2xx within ${seconds} s\n`);
  return 1;
}

main().then((code) => process.exit(code));
