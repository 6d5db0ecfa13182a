#!/usr/bin/env node
// One autocannon run, in its own process (so the load generator never shares an event loop with
// the server it measures). Argument: JSON {base, paths[], token, connections, duration}. Prints one
// JSON line: {rps, p50, p99, mean, total, non2xx, errors, timeouts}.
'use strict';
const autocannon = require('autocannon');

const cfg = JSON.parse(process.argv[2]);
let i = 0;
autocannon({
  url: cfg.base,
  connections: cfg.connections,
  duration: cfg.duration,
  amount: cfg.amount,
  timeout: 60,
  headers: { authorization: `Bearer ${cfg.token}`, accept: 'application/json' },
  requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: cfg.paths[i++ % cfg.paths.length] }) }],
}, (err, r) => {
  if (err) { process.stdout.write(`${JSON.stringify({ error: err.message })}\n`); process.exit(1); }
  process.stdout.write(`${JSON.stringify({
    rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.mean, total: r.requests.total,
    non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
  })}\n`);
});
