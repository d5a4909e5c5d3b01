// The bare baseline: the same framework and body parser as the receiver (Express 5, express.raw
// with the same 1 MB limit) and nothing else: no helmet, no signature check, no Redis. Whatever
// the receiver adds on top of this server's latency is its own work: verification and the
// round trip to Redis. Usage: node loadtest/baseline-server.js PORT  (listens on 127.0.0.1 only)
"use strict";

const express = require("express");

const port = Number(process.argv[2] ?? process.env.BASELINE_PORT ?? 0);
const app = express();
app.disable("x-powered-by");
app.post("*path", express.raw({ type: () => true, limit: 1024 * 1024 }), (_req, res) => {
  res.status(200).json({ received: true });
});
app.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});

const server = app.listen(port, "127.0.0.1", () => {
  process.stdout.write(`baseline listening on http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
