import fc from 'fast-check';
import { Role } from '@stackgate/platform';
import { makeCast } from '../support/factories';
import { makeScimToken, SCIM_ERROR, SCIM_GROUP, SCIM_PATCH, SCIM_TYPE, SCIM_USER } from '../support/scim';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * Fuzzing /scim/v2 (outside the OpenAPI-driven fuzzer of /api/v1): generated filters, paging, PATCH
 * operations and resource bodies, with the SCIM token, with every role's session and with garbage.
 * Never a 5xx; every refusal in SCIM's error schema; without the SCIM token nothing changes.
 */
const RUNS = Number(process.env.SCIM_FUZZ_RUNS ?? 600);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

const word = fc.oneof(
  fc.constantFrom(
    'userName',
    'externalId',
    'emails.value',
    'emails',
    'displayName',
    'active',
    'members.value',
    'meta.lastModified',
    'name.givenName',
    'id',
  ),
  fc.string({ maxLength: 12 }),
);
const value = fc.oneof(fc.string({ maxLength: 30 }), fc.boolean(), fc.integer(), fc.constant(null), fc.emailAddress());
const op = fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'EQ', 'xx');
const leaf = fc
  .tuple(word, op, value)
  .map(([attribute, operator, operand]) => (operator === 'pr' ? `${attribute} pr` : `${attribute} ${operator} ${JSON.stringify(operand)}`));
const filter = fc.oneof(
  leaf,
  fc.tuple(leaf, fc.constantFrom(' and ', ' or ', ' AND '), leaf).map((parts) => parts.join('')),
  leaf.map((text) => `not (${text})`),
  fc.tuple(word, leaf).map(([attribute, inner]) => `${attribute}[${inner}]`),
  fc.string({ maxLength: 60 }),
);
const patchOperation = fc.record(
  {
    op: fc.constantFrom('add', 'remove', 'replace', 'Add', 'Replace', 'Remove', 'move'),
    path: fc.oneof(word, fc.constantFrom('members[value eq "x"]', 'emails[type eq "work"].value', 'name.familyName', 'urn:x:y')),
    value: fc.oneof(
      value,
      fc.array(fc.record({ value: fc.string({ maxLength: 10 }) }), { maxLength: 3 }),
      fc.dictionary(word, value, { maxKeys: 3 }),
    ),
  },
  { requiredKeys: ['op'] },
);
const userBody = fc.record(
  {
    schemas: fc.oneof(fc.constant([SCIM_USER]), fc.array(fc.string(), { maxLength: 2 })),
    userName: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 40 })),
    displayName: fc.string({ maxLength: 140 }),
    active: fc.oneof(fc.boolean(), fc.constantFrom('True', 'False', 'maybe'), fc.integer()),
    externalId: fc.oneof(fc.string({ maxLength: 40 }), fc.integer()),
    emails: fc.array(fc.record({ value: fc.oneof(fc.emailAddress(), fc.string()), primary: fc.boolean() }), { maxLength: 2 }),
    name: fc.oneof(fc.record({ givenName: fc.string({ maxLength: 20 }), familyName: fc.string({ maxLength: 20 }) }), fc.string()),
  },
  { requiredKeys: [] },
);
const groupBody = fc.record(
  {
    schemas: fc.oneof(fc.constant([SCIM_GROUP]), fc.array(fc.string(), { maxLength: 2 })),
    displayName: fc.oneof(fc.string({ maxLength: 40 }), fc.integer()),
    members: fc.oneof(fc.array(fc.record({ value: fc.string({ maxLength: 40 }) }), { maxLength: 3 }), fc.string()),
  },
  { requiredKeys: [] },
);

describe('Fuzzing /scim/v2', () => {
  let testApp: TestApp;
  let token: string;
  let sessions: string[];
  let ids: { users: string[]; groups: string[] };

  beforeAll(async () => {
    testApp = await startTestApp();
    const cast = await makeCast(testApp);
    token = (await makeScimToken(testApp, cast.admin)).token;
    sessions = Object.values(cast).map((user) => user.auth.Authorization);
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': SCIM_TYPE };
    const user = await testApp
      .http()
      .post('/scim/v2/Users')
      .set(auth)
      .send(JSON.stringify({ schemas: [SCIM_USER], userName: 'fuzz@corp.example' }));
    const group = await testApp
      .http()
      .post('/scim/v2/Groups')
      .set(auth)
      .send(JSON.stringify({ schemas: [SCIM_GROUP], displayName: 'fuzz' }));
    ids = { users: [user.body.id, cast.marketer.id, cast.admin.id, 'nope'], groups: [group.body.id, 'nope'] };
    expect(Role.ADMIN).toBeDefined();
  });
  afterAll(async () => testApp?.close());

  const request = fc.oneof(
    filter.map((text) => ({ method: 'get' as const, path: `/Users?filter=${encodeURIComponent(text)}` })),
    filter.map((text) => ({ method: 'get' as const, path: `/Groups?filter=${encodeURIComponent(text)}&excludedAttributes=members` })),
    fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })).map(([start, count]) => ({
      method: 'get' as const,
      path: `/Users?startIndex=${encodeURIComponent(start)}&count=${encodeURIComponent(count)}`,
    })),
    userBody.map((body) => ({ method: 'post' as const, path: '/Users', body })),
    groupBody.map((body) => ({ method: 'post' as const, path: '/Groups', body })),
    fc
      .tuple(fc.nat(3), userBody)
      .map(([index, body]) => ({ method: 'put' as const, path: `/Users/${index}`, body, target: 'users' as const })),
    fc.tuple(fc.nat(3), fc.array(patchOperation, { maxLength: 4 }), fc.boolean()).map(([index, operations, withSchema]) => ({
      method: 'patch' as const,
      path: `/Users/${index}`,
      target: 'users' as const,
      body: withSchema ? { schemas: [SCIM_PATCH], Operations: operations } : { Operations: operations },
    })),
    fc.tuple(fc.nat(1), fc.array(patchOperation, { maxLength: 4 })).map(([index, operations]) => ({
      method: 'patch' as const,
      path: `/Groups/${index}`,
      target: 'groups' as const,
      body: { schemas: [SCIM_PATCH], Operations: operations },
    })),
  );

  it(`answers ${RUNS} generated requests without a 5xx, in SCIM's error schema, and only with the SCIM token`, async () => {
    const samples = fc.sample(request, { seed: SEED, numRuns: RUNS });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const [index, sample] of samples.entries()) {
      const target = 'target' in sample ? sample.target : undefined;
      const path = target
        ? sample.path.replace(/\/(\d+)$/, (_, at: string) => `/${ids[target][Number(at) % ids[target].length]}`)
        : sample.path;
      const who = index % 5 === 4 ? (sessions[index % sessions.length] ?? 'Bearer x') : `Bearer ${token}`;
      const req = testApp.http()[sample.method](`/scim/v2${path}`).set('Authorization', who);
      const res = 'body' in sample ? await req.set('Content-Type', SCIM_TYPE).send(JSON.stringify(sample.body)) : await req;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const caller = who === `Bearer ${token}` ? 'scim' : 'session';
      const label = `${sample.method.toUpperCase()} ${path} as ${caller}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      if (res.status >= 500) failures.push(label);
      if (res.status >= 400 && (res.body?.schemas?.[0] !== SCIM_ERROR || typeof res.body.detail !== 'string'))
        failures.push(`not SCIM: ${label}`);
      if (who !== `Bearer ${token}` && res.status !== 401) failures.push(`session accepted: ${label}`);
    }
    console.log(`scim fuzz: seed ${SEED}, statuses ${JSON.stringify([...statuses.entries()].sort())}`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect((statuses.get(200) ?? 0) + (statuses.get(201) ?? 0)).toBeGreaterThan(10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(20);
  });
});
