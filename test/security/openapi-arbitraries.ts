import fc from 'fast-check';
import { deref, DocOperation, jsonBodySchema, OpenApiDoc, Parameter, Schema, schemaProblems } from './openapi';

/*
 * fast-check arbitraries built from the OpenAPI document: schema-valid values (real ids from a
 * seeded dataset for uuid fields some of the time) and mutations of them (wrong types, missing
 * required fields, extra fields, boundary numbers, hostile strings, deep nesting, non-objects,
 * broken JSON), plus path parameters and query strings. Whether a generated body is
 * schema-invalid is decided by checking it against the schema, not by trusting the mutation.
 */

export interface IdPools {
  /** Real ids for a field name (costCenterId, toolId, …) or a path resource (tools, requests, …). */
  forName(name: string): string[];
}

export interface FuzzRequest {
  method: string;
  /** Concrete path with query string. */
  url: string;
  /** JSON body (undefined: none), or a raw string sent as application/json. */
  body?: unknown;
  rawBody?: string;
  /** A multipart upload (the import route): form fields and one file. */
  multipart?: { fields: Record<string, string>; file?: { name: string; content: Buffer } };
  /** An Accept header to send (content negotiation must not change the error JSON). */
  accept?: string;
  /** A Content-Type other than application/json for the JSON text of `body`. */
  contentType?: string;
  /** What was done to the request, for the failure report. */
  variant: string;
  /** The body breaks the documented schema (checked against it), or is not JSON at all. */
  bodyInvalid: boolean;
  /** A documented query parameter has a value its schema forbids, or an unknown one was added. */
  queryInvalid: boolean;
}

const WORDS = ['stack', 'gate', 'crm', 'email', 'webinar', 'lead', 'cdp', 'ads', 'seo', 'Ünïcødé', '数据', 'naïve', 'café', 'x'];
const HOSTILE = [
  "' OR '1'='1",
  "'; DROP TABLE tools; --",
  '" OR ""="',
  '1; SELECT SLEEP(5)',
  '%27%20OR%201%3D1',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '${7*7}',
  '\u0000',
  'a\u0000b',
  '\u202Egnp.exe',
  '🦄🌈'.repeat(20),
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  '\uD800',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  ' ',
  '\t\n',
  '',
];
const WEIRD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -0.0001,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 63),
  'string',
  '',
  [],
  [1, 'a', null],
  {},
  { a: { b: { c: 1 } } },
  JSON.parse('{"__proto__":{"admin":true}}'),
];

const word = fc.constantFrom(...WORDS);
const text = (min: number, max: number) =>
  fc
    .array(word, { minLength: 1, maxLength: 6 })
    .map((ws) => ws.join(' '))
    .map((s) => (s.length < min ? s.padEnd(min, 'x') : s).slice(0, max));

/** Field-name hints that make "valid" values plausible to the business rules (not only to the schema). */
function hinted(field: string, schema: Schema): fc.Arbitrary<unknown> | undefined {
  if (schema.enum || schema.format) return undefined;
  const isString = schema.type === 'string';
  const isInteger = schema.type === 'integer' || schema.type === 'number';
  if (!isString && !isInteger) return undefined;
  if (isInteger)
    return field === 'fiscalYear' ? fc.integer({ min: 2020, max: 2035 }) : field === 'version' ? fc.integer({ min: 1, max: 4 }) : undefined;
  switch (field) {
    case 'currency':
      return fc.constantFrom('EUR', 'EUR', 'USD', 'GBP', 'CHF');
    case 'amount':
      return fc.integer({ min: 0, max: 10_000_000 }).map((n) => (n / 100).toFixed(2));
    case 'rate':
      return fc.integer({ min: 1, max: 500_000 }).map((n) => (n / 100_000).toFixed(5));
    case 'sort':
      return fc.constantFrom('name', '-name', 'updatedAt', '-createdAt', 'code', 'bogus');
    case 'website':
      return fc.constantFrom('https://example.test', 'http://vendor.example.test/path?q=1');
    case 'password':
      return fc.constantFrom('a-long-enough-password', 'test-password-123');
    case 'month':
      return fc
        .tuple(fc.integer({ min: 2020, max: 2032 }), fc.integer({ min: 1, max: 12 }))
        .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
    default:
      return undefined;
  }
}

function fromPattern(pattern: string, min = 0, max = 60): fc.Arbitrary<string> {
  const re = new RegExp(pattern);
  try {
    return fc.stringMatching(re, { size: 'xsmall' }).filter((v) => v.length >= min && v.length <= max);
  } catch {
    // Unsupported syntax (lookaheads): generate from the pattern without them, keep what matches.
    return fc
      .stringMatching(new RegExp(pattern.replace(/\(\?[=!][^)]*\)/g, '')), { size: 'xsmall' })
      .filter((v) => re.test(v) && v.length >= min && v.length <= max);
  }
}

export function validValue(doc: OpenApiDoc, schema: Schema, ids: IdPools, field = '', depth = 0): fc.Arbitrary<unknown> {
  const resolved = deref(doc, schema);
  const base = baseValue(doc, resolved, ids, field, depth);
  return resolved.nullable ? fc.option(base, { nil: null, freq: 8 }) : base;
}

function baseValue(doc: OpenApiDoc, schema: Schema, ids: IdPools, field: string, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const hint = hinted(field, schema);
  if (hint) return hint;
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') {
        const pool = ids.forName(field);
        return pool.length ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 4 }, { arbitrary: fc.uuid(), weight: 1 }) : fc.uuid();
      }
      if (schema.format === 'date')
        return fc
          .date({ min: new Date('2020-01-01'), max: new Date('2032-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'date-time')
        return fc.date({ min: new Date('2020-01-01'), max: new Date('2032-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
      if (field === 'email' && ids.forName('email').length)
        return fc.oneof(fc.constantFrom(...ids.forName('email')), fc.constant('nobody@example.test'));
      if (schema.format === 'email')
        return fc
          .tuple(fc.stringMatching(/^[a-z][a-z0-9]{2,10}$/), fc.constantFrom('example.test', 'demo.stackgate.local'))
          .map(([a, b]) => `${a}@${b}`);
      if (schema.format === 'binary') return fc.constant('file');
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 80, 80);
      if (schema.pattern) return fromPattern(schema.pattern, min, max);
      return fc.oneof(
        { arbitrary: text(Math.max(min, 1), max), weight: 4 },
        {
          arbitrary: fc.string({ minLength: Math.max(min, 1), maxLength: max }).filter((v) => v.trim().length >= Math.max(min, 1)),
          weight: 1,
        },
      );
    }
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -1_000_000;
      const max = schema.maximum ?? 1_000_000;
      return fc.oneof(fc.integer({ min, max: Math.min(max, min + 20) }), fc.integer({ min, max }));
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = schema.items ? deref(doc, schema.items) : {};
      if (items.properties?.shareBps && items.properties?.costCenterId) return allocation(ids);
      const maxLength = Math.min(schema.maxItems ?? 3, 3);
      const item = validValue(doc, schema.items ?? {}, ids, singular(field), depth + 1);
      const size = { minLength: Math.min(schema.minItems ?? 0, maxLength), maxLength };
      return schema.uniqueItems ? fc.uniqueArray(item, { ...size, selector: (v) => JSON.stringify(v) }) : fc.array(item, size);
    }
    case 'object': {
      if (!schema.properties || depth > 4) return fc.constant({});
      if (Object.keys(schema.properties).sort().join() === 'amount,currency') return money;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, ps] of Object.entries(schema.properties)) model[key] = validValue(doc, ps, ids, key, depth + 1);
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in model) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Money as the API writes it: base currency most of the time, with the currency's decimals. */
const money = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 20_000_000 }).map((n) => ({ amount: (n / 100).toFixed(2), currency: 'EUR' })), weight: 4 },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 20_000_000 }), fc.constantFrom('USD', 'GBP', 'CHF'))
      .map(([n, currency]) => ({ amount: (n / 100).toFixed(2), currency })),
    weight: 1,
  },
  { arbitrary: fc.integer({ min: 0, max: 2_000_000 }).map((n) => ({ amount: String(n), currency: 'JPY' })), weight: 1 },
);

const singular = (field: string) => (field.endsWith('Ids') ? field.slice(0, -1) : field);

/** Allocations are valid by the business rule too (shares sum to 10000) most of the time. */
function allocation(ids: IdPools): fc.Arbitrary<unknown> {
  const pool = ids.forName('costCenterId');
  const cc = pool.length ? fc.constantFrom(...pool) : fc.uuid();
  return fc.oneof(
    { arbitrary: cc.map((id) => [{ costCenterId: id, shareBps: 10000 }]), weight: 4 },
    {
      arbitrary: fc.tuple(cc, cc, fc.integer({ min: 1, max: 9999 })).map(([a, b, n]) => [
        { costCenterId: a, shareBps: n },
        { costCenterId: b, shareBps: 10000 - n },
      ]),
      weight: 1,
    },
    { arbitrary: fc.array(fc.record({ costCenterId: cc, shareBps: fc.integer({ min: 1, max: 10000 }) }), { maxLength: 3 }), weight: 1 },
  );
}

/** A value of a different JSON type than the schema asks for. */
function wrongType(doc: OpenApiDoc, schema: Schema): fc.Arbitrary<unknown> {
  const resolved = deref(doc, schema);
  const type = resolved.type ?? (resolved.properties ? 'object' : 'string');
  const byType: Record<string, unknown[]> = {
    string: [42, -1, 0, true, false, [], ['a'], {}, { value: 'x' }],
    integer: ['1', '', 'one', 1.5, -0.5, true, [], {}, [1]],
    number: ['1', '', 'NaN', true, [], {}],
    boolean: ['true', 'false', 1, 0, 'yes', [], {}],
    array: ['a', 1, true, {}, { 0: 'a' }],
    object: ['a', 1, true, [], [{}], '{"amount":"1"}'],
  };
  return fc.constantFrom(...(byType[type] ?? byType.string));
}

/** A deeply nested value (arrays or objects), to probe recursion in transformers and validators. */
const deep = fc.tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean()).map(([levels, arrays]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = arrays ? [value] : { a: value };
  return value;
});

type Body = Record<string, unknown>;

/** Mutations of a valid body; each returns the new body and what was done. */
function mutations(doc: OpenApiDoc, schema: Schema, body: Body): fc.Arbitrary<{ body: unknown; variant: string; raw?: string }>[] {
  const resolved = deref(doc, schema);
  const props = resolved.properties ?? {};
  const keys = Object.keys(props);
  const present = keys.filter((k) => body[k] !== undefined && body[k] !== null);
  const out: fc.Arbitrary<{ body: unknown; variant: string; raw?: string }>[] = [];
  const set = (k: string, v: unknown) => ({ ...body, [k]: v });

  out.push(
    fc
      .tuple(
        fc.constantFrom('zz', 'isAdmin', 'id', 'createdById', 'role', '__proto__', 'constructor', 'version2'),
        fc.constantFrom(...WEIRD_VALUES),
      )
      .map(([k, v]) => ({
        body: Object.hasOwn(props, k) ? { ...body, [`${k}_extra`]: v } : (JSON.parse(JSON.stringify({ ...body, [k]: v })) as unknown),
        variant: `extra field ${k}`,
      })),
  );
  const required = (resolved.required ?? []).filter((k) => Object.hasOwn(body, k));
  if (required.length)
    out.push(
      fc.constantFrom(...required).map((key) => {
        const withoutKey = { ...body };
        delete withoutKey[key];
        return { body: withoutKey, variant: `missing ${key}` };
      }),
    );
  if (keys.length) {
    out.push(
      fc
        .constantFrom(...keys)
        .chain((k) => wrongType(doc, props[k]).map((v) => ({ body: set(k, v), variant: `wrong type ${k}=${JSON.stringify(v)}` }))),
    );
    out.push(fc.constantFrom(...keys).map((k) => ({ body: set(k, null), variant: `null ${k}` })));
    out.push(
      fc
        .tuple(fc.constantFrom(...keys), fc.constantFrom(...HOSTILE))
        .map(([k, v]) => ({ body: set(k, v), variant: `hostile string ${k}` })),
    );
    out.push(fc.tuple(fc.constantFrom(...keys), deep).map(([k, v]) => ({ body: set(k, v), variant: `deep nesting ${k}` })));
  }
  const strings = keys.filter((k) => deref(doc, props[k]).type === 'string');
  if (strings.length) {
    out.push(
      fc.tuple(fc.constantFrom(...strings), fc.constantFrom(1, 2, 50, 20_000, 600_000)).map(([key, extra]) => {
        const max = deref(doc, props[key]).maxLength ?? 255;
        return { body: set(key, 'é'.repeat(Math.min(max + extra, 600_000))), variant: `long string ${key} (${max}+${extra})` };
      }),
    );
  }
  const numbers = keys.filter((k) => ['integer', 'number'].includes(deref(doc, props[k]).type ?? ''));
  if (numbers.length) {
    out.push(
      fc.constantFrom(...numbers).chain((key) => {
        const ps = deref(doc, props[key]);
        const edges = [
          ps.minimum,
          ps.maximum,
          ps.minimum !== undefined ? ps.minimum - 1 : -1,
          ps.maximum !== undefined ? ps.maximum + 1 : 2 ** 31,
          0.5,
          -0,
          Number.MAX_SAFE_INTEGER,
          -Number.MAX_SAFE_INTEGER,
          1e21,
        ].filter((v): v is number => v !== undefined);
        return fc.constantFrom(...edges).map((v) => ({ body: set(key, v), variant: `boundary ${key}=${v}` }));
      }),
    );
  }
  // A mutation one level down: inside a nested object (money, proposedTool) or an array item.
  const nested = present.filter((key) => {
    const ps = deref(doc, props[key]);
    return ps.properties || (ps.type === 'array' && ps.items && deref(doc, ps.items).properties);
  });
  if (nested.length) {
    out.push(
      fc.constantFrom(...nested).chain((key) => {
        const ps = deref(doc, props[key]);
        const isArray = ps.type === 'array';
        const inner = isArray ? (Array.isArray(body[key]) ? (body[key] as Body[])[0] : undefined) : (body[key] as Body);
        if (!inner || typeof inner !== 'object') return fc.constant({ body: set(key, {}), variant: `empty ${key}` });
        const innerSchema = isArray ? ps.items! : ps;
        return fc.oneof(...mutations(doc, innerSchema, inner).slice(0, 4)).map((m) => ({
          body: set(key, isArray ? [m.body, ...(body[key] as unknown[]).slice(1)] : m.body),
          variant: `in ${key}: ${m.variant}`,
        }));
      }),
    );
  }
  out.push(
    fc
      .constantFrom<unknown>([], [body], 'a string', 42, true)
      .map((b) => ({ body: b, variant: `body is ${Array.isArray(b) ? 'an array' : typeof b}` })),
  );
  out.push(
    fc
      .constantFrom('{"a":', '{"a":1,}', "{'a':1}", '[', 'null', '{"__proto__":{"x":1}}', '\u0000')
      .map((raw) => ({ body: undefined, raw, variant: `raw JSON ${JSON.stringify(raw)}` })),
  );
  return out;
}

/** Files for the import route: plausible CSV, hostile CSV, binary garbage, fake XLSX, wrong extensions. */
const csvCell = fc.oneof(
  text(0, 30),
  fc.constantFrom(...HOSTILE),
  fc.constantFrom('=HYPERLINK("http://x")', '+cmd|/c calc', '"quoted, comma"', '"unterminated', '1e308', '-'),
);
const csv = fc
  .tuple(
    fc.constantFrom(
      'name,vendor,subcategory,lifecycle',
      'sourceTool,targetTool,dataObjects,method,frequency',
      'tool,startDate,termMonths,billing,amount,currency',
      'date,tool,costType,amount,currency',
      '',
      '\uFEFFname',
      'a;b;c',
    ),
    fc.array(
      fc.array(csvCell, { minLength: 0, maxLength: 6 }).map((cells) => cells.join(',')),
      { maxLength: 8 },
    ),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([header, rows, eol]) => Buffer.from([header, ...rows].join(eol), 'utf8'));
const garbage = fc.uint8Array({ minLength: 0, maxLength: 2048 }).map((a) => Buffer.from(a));
const fakeXlsx = fc.uint8Array({ minLength: 0, maxLength: 512 }).map((a) => Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from(a)]));
const uploadArb = fc
  .record({
    kind: fc.constantFrom('tools', 'integrations', 'contracts', 'spend-entries', 'users', '', 'x'.repeat(41), '../tools'),
    dryRun: fc.constantFrom('true', 'false', 'true', 'yes', ''),
    file: fc.option(
      fc.oneof(
        fc.tuple(fc.constantFrom('tools.csv', 'flows.CSV', 'data.txt', 'x.csv.exe', '../../etc/passwd.csv', 'ünï.csv'), csv),
        fc.tuple(fc.constantFrom('sheet.xlsx', 'garbage.csv'), fc.oneof(fakeXlsx, garbage)),
      ),
      { freq: 8, nil: undefined },
    ),
  })
  .map(({ kind, dryRun, file }) => ({
    fields: { kind, ...(dryRun ? { dryRun } : {}) },
    file: file ? { name: file[0], content: file[1] } : undefined,
  }));

function pathValue(name: string, resource: string, ids: IdPools): fc.Arbitrary<string> {
  if (name === 'kind')
    return fc.constantFrom('tools', 'integrations', 'contracts', 'spend-entries', 'users', '..%2F..%2Fetc%2Fpasswd', 'TOOLS', '%00');
  const pool = ids.forName(resource);
  return fc.oneof(
    { arbitrary: pool.length ? fc.constantFrom(...pool) : fc.uuid(), weight: 8 },
    { arbitrary: fc.uuid(), weight: 1 },
    {
      arbitrary: fc
        .constantFrom(
          'not-a-uuid',
          '1',
          '0',
          '-1',
          "1' OR '1'='1",
          '..%2F..%2Fetc%2Fpasswd',
          '%00',
          'x'.repeat(300),
          '00000000-0000-0000-0000-000000000000',
          'undefined',
          'null',
        )
        .map((v) => v),
      weight: 2,
    },
  );
}

interface QueryPart {
  query: string;
  invalid: boolean;
  variant: string;
}

function queryArb(doc: OpenApiDoc, params: Parameter[], ids: IdPools, method: string): fc.Arbitrary<QueryPart> {
  const queryParams = params.filter((p) => p.in === 'query');
  const enc = (k: string, v: unknown) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`;
  const valid = fc
    .tuple(
      ...queryParams.map((p) => fc.option(validValue(doc, p.schema ?? {}, ids, p.name), { freq: p.required ? 20 : 2, nil: undefined })),
    )
    .map((vals) => vals.map((v, i) => (v === undefined || v === null ? '' : enc(queryParams[i].name, v))).filter(Boolean));
  const parts: fc.Arbitrary<QueryPart>[] = [valid.map((p) => ({ query: p.join('&'), invalid: false, variant: 'valid query' }))];
  if (queryParams.length) {
    // DELETE reads only ?version, and ignores anything else, by design; the DTO-backed lists reject unknown parameters.
    if (method !== 'DELETE') {
      parts.push(
        fc
          .tuple(valid, fc.constantFrom('zz', 'limit', 'offset', '__proto__', 'where', 'admin'))
          .map(([p, k]) => ({ query: [...p, enc(k, 1)].join('&'), invalid: true, variant: `unknown query ${k}` })),
      );
    }
    parts.push(
      fc.tuple(valid, fc.constantFrom(...queryParams)).chain(([validPart, param]): fc.Arbitrary<QueryPart> => {
        const schema = deref(doc, param.schema ?? {});
        const bad: unknown[] = schema.enum
          ? ['NOPE', '', String(schema.enum[0]).toLowerCase() + 'x']
          : schema.type === 'integer' || schema.type === 'number'
            ? ['abc', '1.5', String((schema.maximum ?? 1e9) + 1), String((schema.minimum ?? -1e9) - 1), '1e3', '0x10']
            : schema.type === 'boolean'
              ? ['yes', '1', 'TRUE']
              : schema.format === 'uuid'
                ? ['not-a-uuid', '1']
                : schema.pattern
                  ? ['!!!', "' OR 1=1 --"]
                  : schema.maxLength !== undefined
                    ? ['q'.repeat(schema.maxLength + 1)]
                    : [];
        if (!bad.length) return fc.constant({ query: validPart.join('&'), invalid: false, variant: 'valid query' });
        return fc.constantFrom(...bad).map((v) => ({
          query: [...validPart.filter((x) => !x.startsWith(`${encodeURIComponent(param.name)}=`)), enc(param.name, v)].join('&'),
          invalid: true,
          variant: `bad query ${param.name}=${String(v).slice(0, 20)}`,
        }));
      }),
    );
    // A repeated parameter arrives as an array; the API must answer 400, never 500.
    parts.push(
      fc
        .constantFrom(...queryParams)
        .map((param) => ({ query: `${enc(param.name, '1')}&${enc(param.name, '2')}`, invalid: true, variant: `repeated ${param.name}` })),
    );
  }
  // Unknown keys are refused where a query DTO validates (documented parameters, not DELETE's lone ?version).
  const strict = queryParams.length > 0 && method !== 'DELETE';
  parts.push(
    fc.constantFrom('a[b]=c', 'page[$gt]=1', '%ZZ', '&&&', '=', 'search=%27%20OR%201%3D1--').map((raw) => ({
      query: raw,
      invalid: strict && ['a[b]=c', 'page[$gt]=1', '%ZZ'].includes(raw),
      variant: `raw query ${raw}`,
    })),
  );
  return fc.oneof({ arbitrary: parts[0], weight: 6 }, ...parts.slice(1).map((arbitrary) => ({ arbitrary, weight: 1 })));
}

/** Requests for one operation: schema-valid and mutated bodies, path and query variants. */
export function requestArb(doc: OpenApiDoc, operation: DocOperation, ids: IdPools): fc.Arbitrary<FuzzRequest> {
  const params = operation.op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const resource = operation.path.split('/')[3] ?? '';
  const pathArb = fc
    .tuple(...pathParams.map((p) => pathValue(p.name, resource, ids)))
    .map((vals) => pathParams.reduce((path, p, i) => path.replace(`{${p.name}}`, vals[i]), operation.path));
  const schema = jsonBodySchema(operation.op);
  const multipart = !!operation.op.requestBody?.content['multipart/form-data'];
  type BodyPart = { body?: unknown; raw?: string; multipart?: FuzzRequest['multipart']; contentType?: string; variant: string };
  let bodyArb: fc.Arbitrary<BodyPart>;
  if (schema) {
    const valid = validValue(doc, schema, ids) as fc.Arbitrary<Body>;
    // The same JSON text under another media type or charset: not parsed as JSON, so the body is effectively missing.
    const retyped = fc
      .tuple(
        valid,
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'application/xml',
          'multipart/form-data; boundary=x',
        ),
      )
      .map(([b, contentType]) => ({ body: b, contentType, variant: `valid body as ${contentType}` }));
    bodyArb = fc.oneof(
      { arbitrary: valid.map((b) => ({ body: b, variant: 'valid body' })), weight: 8 },
      { arbitrary: valid.chain((b) => fc.oneof(...mutations(doc, schema, b))), weight: 12 },
      { arbitrary: retyped, weight: 1 },
    );
  } else if (multipart) {
    bodyArb = fc.oneof(
      {
        arbitrary: uploadArb.map((m) => ({ multipart: m, variant: `upload ${m.fields.kind} ${m.file?.name ?? 'without file'}` })),
        weight: 4,
      },
      {
        arbitrary: fc.constantFrom<BodyPart>(
          { body: { kind: 'tools' }, variant: 'JSON instead of multipart' },
          { body: undefined, variant: 'no body' },
          { raw: '{"kind":', variant: 'raw JSON' },
        ),
        weight: 1,
      },
    );
  } else {
    bodyArb = fc.constantFrom<BodyPart>({ body: undefined, variant: 'no body' }, { body: { zz: 1 }, variant: 'unexpected body' });
  }
  const acceptArb = fc.option(
    fc.constantFrom('application/json', 'text/csv', 'text/html', '*/*', 'application/xml', 'garbage/;;;', 'text/html;q=0.1, text/csv'),
    { freq: 3, nil: undefined },
  );
  return fc.tuple(pathArb, queryArb(doc, params, ids, operation.method), bodyArb, acceptArb).map(([path, queryPart, bodyPart, accept]) => {
    // An upload is judged by the import suites' rules, not by this schema check; JSON sent to it is invalid.
    const required = schema ? (deref(doc, schema).required ?? []).length > 0 : false;
    const bodyInvalid =
      bodyPart.raw !== undefined ||
      (bodyPart.contentType !== undefined && required) ||
      (schema
        ? bodyPart.body === undefined || (bodyPart.contentType === undefined && schemaProblems(doc, schema, bodyPart.body).length > 0)
        : multipart && !bodyPart.multipart);
    return {
      method: operation.method,
      url: queryPart.query ? `${path}?${queryPart.query}` : path,
      body: bodyPart.body,
      rawBody: bodyPart.raw,
      multipart: bodyPart.multipart,
      accept,
      contentType: bodyPart.contentType,
      variant: `${bodyPart.variant}; ${queryPart.variant}${accept ? `; Accept ${accept}` : ''}`,
      bodyInvalid,
      queryInvalid: queryPart.invalid,
    };
  });
}
