#!/usr/bin/env node
// One autocannon run, in its own process (so the load generator never shares an event loop with
// the server it measures). Argument: JSON {base, paths[], token, connections, duration}. Prints one
// JSON line: {rps, p50, p99, mean, total, non2xx, errors, timeouts}.
'use strict';
const autocannon = require('autocannon');

const cfg = JSON.parse(process.argv[2]);
let sent = 0;
autocannon(
  {
    url: cfg.base,
    connections: cfg.connections,
    duration: cfg.duration,
    amount: cfg.amount,
    timeout: 60,
    headers: { authorization: `Bearer ${cfg.token}`, accept: 'application/json' },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: cfg.paths[sent++ % cfg.paths.length] }) }],
  },
  (err, result) => {
    if (err) {
      process.stdout.write(`${JSON.stringify({ error: err.message })}\n`);
      process.exit(1);
    }
    process.stdout.write(
      `${JSON.stringify({
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        mean: result.latency.mean,
        total: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
      })}\n`,
    );
  },
);
