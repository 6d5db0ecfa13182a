// `node bench/spend-import.js [lines] [--base http://localhost:3000/api/v1]` — against a running demo instance
// (`npm start`): signs in as the demo's finance user and times a `spend-transactions` import (generic preset) of
// synthetic card lines, dry run then commit; every run uses fresh references, so each commit writes.
// Most merchants match demo tools (spend entries written), the rest open or join discovery candidates.
const args = process.argv.slice(2);
const baseAt = args.indexOf('--base');
const base = baseAt >= 0 ? args[baseAt + 1] : 'http://localhost:3000/api/v1';
const lines = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--base') ?? 2000);
(async () => {
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'finance@demo.stackgate.local', password: 'demo-password-123' }),
  });
  const { accessToken } = await login.json();
  const auth = { Authorization: `Bearer ${accessToken}` };
  const merchants = [
    'HUBSPOT INC',
    'SQ *CANVA',
    'PAYPAL *HOTJAR',
    'Zoom.us 888-799-9666',
    'SALESFORCE.COM',
    'SEGMENT.IO',
    'NEWTOOL XYZ',
    'UBER TRIP',
  ];
  const tag = Date.now().toString(36);
  let csv = 'date,merchant,amount,currency,employee,costCenter,memo,reference\n';
  for (let i = 0; i < lines; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    csv += `2026-11-${day},${merchants[i % merchants.length]},${(10 + (i % 97)).toFixed(2)},EUR,emp${i % 40}@demo.example,,,${tag}-${i}\n`;
  }
  for (const dryRun of [true, false]) {
    const form = new FormData();
    form.set('kind', 'spend-transactions');
    form.set('dryRun', String(dryRun));
    form.set('file', new Blob([csv], { type: 'text/csv' }), 'card.csv');
    const started = Date.now();
    const res = await fetch(`${base}/imports`, { method: 'POST', headers: auth, body: form });
    const body = await res.json();
    console.log(dryRun ? 'dry run' : 'commit ', res.status, Date.now() - started, 'ms', JSON.stringify(body.summary ?? body).slice(0, 200));
  }
})();
