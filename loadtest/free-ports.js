// Prints N TCP ports on 127.0.0.1 that were free a moment ago, one per line.
// Usage: node loadtest/free-ports.js N
"use strict";

const { createServer } = require("node:net");

async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", resolve);
      });
      servers.push(server);
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

freePorts(Number(process.argv[2] ?? 1)).then((ports) => process.stdout.write(`${ports.join("\n")}\n`));
