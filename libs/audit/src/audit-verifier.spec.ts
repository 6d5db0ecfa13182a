import { AuditCheckpoint } from './audit-checkpoint.entity';
import { AuditEvent } from './audit-event.entity';
import { canonicalJson, chainFor, EMPTY_DIGEST, hashEventV1, hashEventV2, LEGACY_CHECKPOINT, setDigest } from './audit-hash';
import { AuditTrailVerifier } from './audit-verifier';

let sequence = 0;
const at = new Date('2026-12-04T10:00:00.000Z');

/** A version 2 event appended to `prev` (or starting a chain), hashed as AuditService does. */
function append(prev: AuditEvent | undefined, over: Partial<AuditEvent> = {}): AuditEvent {
  const event = Object.assign(new AuditEvent(), {
    id: `00000000-0000-7000-8000-${String(++sequence).padStart(12, '0')}`,
    occurredAt: at,
    actorId: null,
    actorEmail: 'a@example.test',
    action: 'x.done',
    entityType: 'Tool',
    entityId: 'tool-1',
    requestId: 'r',
    ip: '127.0.0.1',
    changes: { b: { before: 1, after: 2 }, a: { before: null, after: 'x' } },
    metadata: null,
    chainSeq: (prev?.chainSeq ?? 0) + 1,
    prevHash: prev?.hash ?? null,
    hashVersion: 2,
    createdAt: at,
    updatedAt: at,
    ...over,
  });
  event.chain ??= chainFor(event.entityType, event.entityId, 0);
  event.hash = hashEventV2(event);
  return event;
}
const head = (e: AuditEvent): AuditCheckpoint =>
  Object.assign(new AuditCheckpoint(), { chain: e.chain!, headSeq: e.chainSeq!, headHash: e.hash, headEventId: e.id, updatedAt: at });
const legacy = (events: AuditEvent[]): AuditCheckpoint =>
  Object.assign(new AuditCheckpoint(), {
    chain: LEGACY_CHECKPOINT,
    headSeq: events.length,
    headHash: setDigest(events.map((e) => e.hash)),
    headEventId: null,
    updatedAt: at,
  });

function run(chained: AuditEvent[], checkpoints: AuditCheckpoint[], unchained: AuditEvent[] = []) {
  const verifier = new AuditTrailVerifier(checkpoints);
  for (const event of chained) verifier.chained(event);
  for (const event of unchained) verifier.unchained(event);
  return verifier.finish();
}
const kinds = (r: ReturnType<typeof run>) => r.breaks.map((b) => b.kind);

describe('audit hashes', () => {
  it('version 2 covers every stored column, version 1 only what it always did', () => {
    const event = append(undefined);
    const fields: [keyof AuditEvent, unknown][] = [
      ['actorEmail', 'b@example.test'],
      ['actorId', 'u'],
      ['action', 'y'],
      ['entityType', 'Vendor'],
      ['entityId', 'tool-2'],
      ['requestId', 's'],
      ['ip', '10.0.0.1'],
      ['changes', null],
      ['metadata', { k: 1 }],
      ['chain', 'Tool/other'],
      ['chainSeq', 9],
      ['prevHash', 'f'.repeat(64)],
      ['occurredAt', new Date(0)],
      ['createdAt', new Date(0)],
      ['updatedAt', new Date(0)],
      ['id', 'other-id'],
    ];
    for (const [field, value] of fields) expect(hashEventV2({ ...event, [field]: value })).not.toBe(event.hash);
    // The old formula ignores actorEmail and the timestamps: why rows it hashed stay on version 1.
    expect(hashEventV1({ ...event, actorEmail: 'b@example.test', createdAt: new Date(0) })).toBe(hashEventV1(event));
  });

  it('hashes JSON by content, whatever the order of keys the database hands back', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
    const event = append(undefined);
    expect(hashEventV2({ ...event, changes: { a: event.changes!.a, b: event.changes!.b } })).toBe(event.hash);
  });

  it('puts events without an entity on one of a few chains per entity type', () => {
    expect(chainFor('Tool', 'abc')).toBe('Tool/abc');
    expect(chainFor('Route', null, 3)).toBe('Route/~3');
    expect(new Set(Array.from({ length: 200 }, () => chainFor('Route', null))).size).toBeGreaterThan(1);
  });
});

describe('AuditTrailVerifier', () => {
  const chainOf = (length: number, over: Partial<AuditEvent> = {}) => {
    const out: AuditEvent[] = [];
    for (let i = 0; i < length; i++) out.push(append(out[i - 1], over));
    return out;
  };

  it('passes an intact trail and counts every event', () => {
    const toolChain = chainOf(3);
    const routeChain = chainOf(2, { entityType: 'Route', entityId: null, chain: 'Route/~1' });
    expect(run([...toolChain, ...routeChain], [head(toolChain[2]), head(routeChain[1]), legacy([])])).toEqual({
      ok: true,
      checked: 5,
      breaks: [],
    });
  });

  it('reports a rewritten field, a missing event, a broken link, truncation and a missing checkpoint', () => {
    const chain = chainOf(4);
    const heads = [head(chain[3]), legacy([])];
    expect(kinds(run([chain[0], { ...chain[1], actorEmail: 'x@example.test' }, chain[2], chain[3]], heads))).toEqual(['HASH_MISMATCH']);
    expect(kinds(run([chain[0], chain[2], chain[3]], heads))).toEqual(['SEQUENCE_GAP']);
    expect(kinds(run([chain[1], chain[2], chain[3]], heads))).toEqual(['SEQUENCE_GAP']);
    expect(kinds(run(chain.slice(0, 3), heads))).toEqual(['TRUNCATED']);
    expect(kinds(run([], heads))).toEqual(['TRUNCATED']);
    expect(kinds(run(chain, [legacy([])]))).toEqual(['NO_CHECKPOINT']);
    const forged = append(chain[2], { prevHash: 'f'.repeat(64) });
    expect(kinds(run([...chain.slice(0, 3), forged], [head(forged), legacy([])]))).toEqual(['BROKEN_LINK']);
    expect(kinds(run(chain, [{ ...heads[0], headHash: 'e'.repeat(64) }, legacy([])]))).toEqual(['HEAD_MISMATCH']);
  });

  it("reports an event on another entity's chain and an unknown hash version", () => {
    const chain = chainOf(1);
    const moved = append(undefined, { chain: 'Tool/someone-else' });
    expect(kinds(run([moved], [head(moved), legacy([])]))).toEqual(['WRONG_CHAIN']);
    expect(kinds(run([{ ...chain[0], hashVersion: 7 }], [head(chain[0]), legacy([])]))).toEqual(['UNKNOWN_HASH_VERSION']);
  });

  it('checks version 1 events with the old formula, and that they stay the anchored set', () => {
    const old = Object.assign(new AuditEvent(), { ...append(undefined, { entityId: null, chain: null, chainSeq: null, hashVersion: 1 }) });
    old.hash = hashEventV1(old);
    const other = Object.assign(new AuditEvent(), { ...old, id: 'another-old-one' });
    other.hash = hashEventV1(other);
    expect(run([], [legacy([old, other])], [old, other])).toEqual({ ok: true, checked: 2, breaks: [] });
    expect(kinds(run([], [legacy([old, other])], [old]))).toEqual(['LEGACY_SET_CHANGED']);
    expect(kinds(run([], [legacy([old, other])], [old, { ...other, action: 'forged' }]))).toEqual(['HASH_MISMATCH']);
    expect(kinds(run([], [], [old]))).toEqual(['NO_CHECKPOINT']);
    expect(setDigest([])).toBe(EMPTY_DIGEST);
    expect(setDigest([old.hash, other.hash])).toBe(setDigest([other.hash, old.hash]));
  });

  it('lists at most 1,000 breaks and counts the rest', () => {
    const chain = chainOf(1);
    const broken = Array.from({ length: 1005 }, (_, i) => ({
      ...chain[0],
      id: `id-${i}`,
      chain: `Tool/x${String(i).padStart(5, '0')}`,
      entityId: `x${String(i).padStart(5, '0')}`,
    }));
    const result = run(broken, [legacy([])]);
    expect(result.ok).toBe(false);
    expect(result.breaks).toHaveLength(1001);
    expect(result.breaks[1000]).toMatchObject({ kind: 'TOO_MANY_BREAKS' });
  });
});
