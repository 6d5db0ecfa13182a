import fc from 'fast-check';
import { diffFields, normalize } from './audit.service';

/** diffFields' comparison as first written: every field serialized on both sides and compared as text. */
function reference(before?: Record<string, unknown> | null, after?: Record<string, unknown> | null) {
  if (!before && !after) return null;
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    if (['passwordHash', 'password', 'tokenVersion', 'updatedAt', 'createdAt'].includes(key)) continue;
    const was = before ? normalize(before[key]) : null;
    const now = after ? normalize(after[key]) : null;
    if (JSON.stringify(was) !== JSON.stringify(now)) out[key] = { before: was, after: now };
  }
  return Object.keys(out).length ? out : null;
}

describe('diffFields', () => {
  const value = fc.oneof(
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.string({ maxLength: 3 }),
    fc.integer({ min: -2, max: 2 }),
    fc.constantFrom(Number.NaN, Infinity, 0.5),
    fc.bigInt({ min: -2n, max: 2n }),
    fc.constant(new Date(0)),
    fc.array(fc.oneof(fc.string({ maxLength: 2 }), fc.integer({ min: 0, max: 2 }), fc.constant(null)), { maxLength: 2 }),
    fc.dictionary(fc.constantFrom('x', 'y'), fc.oneof(fc.integer({ min: 0, max: 1 }), fc.constant(null))),
  );
  const record = fc.option(fc.dictionary(fc.constantFrom('a', 'b', 'c', 'password', 'updatedAt'), value), { nil: null });

  it('finds the same changed fields as comparing every field as JSON', () => {
    fc.assert(
      fc.property(record, record, (before, after) => {
        expect(diffFields(before, after)).toEqual(reference(before, after));
      }),
      { numRuns: 3000 },
    );
  });

  it('treats values that serialize alike as unchanged (NaN and null) and unlike ones as changed', () => {
    expect(diffFields({ n: Number.NaN, s: 'a', t: true }, { n: null, s: 'a', t: true })).toBeNull();
    expect(diffFields({ s: '1', t: 'true', z: null }, { s: 1, t: true, z: '' })).toEqual({
      s: { before: '1', after: 1 },
      t: { before: 'true', after: true },
      z: { before: null, after: '' },
    });
    expect(diffFields(null, { name: 'X', gone: undefined })).toEqual({ name: { before: null, after: 'X' } });
  });
});
