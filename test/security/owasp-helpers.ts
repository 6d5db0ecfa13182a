/*
 * Small, pure helpers for the OWASP API Security suite (test/e2e/owasp.e2e-spec.ts): walking JSON
 * for secrets, checking error bodies for leaks, and describing a response in a failure message.
 */

/** Keys that no response may carry, at any depth. */
export const SECRET_KEYS = new Set(['passwordHash', 'password', 'tokenVersion']);

/** A password hash as the product stores it (Argon2id), or a bcrypt hash, anywhere in a string. */
const HASH_PATTERN = /\$argon2(id|i|d)\$|\$2[aby]\$\d{2}\$/;

/** Paths (`$.items[0].changes.passwordHash`) of every secret key or hash-looking string in a JSON value. */
export function secretsIn(value: unknown, path = '$', out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (HASH_PATTERN.test(value)) out.push(`${path} (a password hash)`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => secretsIn(v, `${path}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [key, nested] of Object.entries(value)) {
      if (SECRET_KEYS.has(key)) out.push(`${path}.${key}`);
      secretsIn(nested, `${path}.${key}`, out);
    }
  }
  return out;
}

/** What an error body must never show: stack frames, SQL, file paths, driver internals. */
const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\bat [\w.<>]+ \(|\bat \/|\n\s+at /],
  // Upper-case keywords only, as drivers print them ("select a subcategory from the list" is fine).
  ['SQL', /\b(SELECT|INSERT|UPDATE|DELETE)\b[\s\S]*\b(FROM|INTO|SET|WHERE)\b/],
  ['a SQL error', /\b(ER_[A-Z_]+|SQLITE_[A-Z]+|QueryFailedError|syntax error)\b/i],
  ['a file path', /\/work\b|node_modules|\.ts:\d+|\.js:\d+|\/(home|usr|tmp)\//],
];

export function leaksIn(text: string): string[] {
  return LEAKS.filter(([, re]) => re.test(text)).map(([what]) => what);
}

interface Res {
  status: number;
  body: unknown;
  headers: Record<string, unknown>;
  text?: string;
}

/**
 * Problems with an error response: not the contract shape `{statusCode, error, message, requestId}`,
 * a requestId that differs from the X-Request-Id header, or any leak. Empty when it is fine.
 */
export function errorProblems(res: Res, status: number): string[] {
  const problems: string[] = [];
  const body = res.body as Record<string, unknown> | undefined;
  if (res.status !== status) problems.push(`status ${res.status}, expected ${status}`);
  if (!body || typeof body !== 'object') return [...problems, `no JSON body: ${String(res.text).slice(0, 120)}`];
  if (body.statusCode !== status) problems.push(`statusCode ${String(body.statusCode)}`);
  if (typeof body.error !== 'string' || !body.error) problems.push('no error phrase');
  if (typeof body.message !== 'string' || !body.message) problems.push('no message');
  if (typeof body.requestId !== 'string' || !body.requestId) problems.push('no requestId');
  else if (res.headers['x-request-id'] !== body.requestId) problems.push('requestId differs from X-Request-Id');
  const allowed = new Set(['statusCode', 'error', 'message', 'code', 'details', 'requestId']);
  const extra = Object.keys(body).filter((k) => !allowed.has(k));
  if (extra.length) problems.push(`unexpected keys ${extra.join(', ')}`);
  for (const leak of leaksIn(JSON.stringify(body))) problems.push(`leaks ${leak}`);
  return problems;
}

/** One line for a failure list: what was sent and what came back. */
export const describeRes = (what: string, res: { status: number; body?: unknown; text?: string }) =>
  `${what}: ${res.status} ${(res.body && Object.keys(res.body).length ? JSON.stringify(res.body) : String(res.text ?? '')).slice(0, 240)}`;

/** JSON text of objects nested `depth` levels deep, `{"a":{"a":…"x"…}}` (too deep for JSON.stringify's callers to build). */
export const deeplyNestedJson = (depth: number): string => `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
