import fc from 'fast-check';
import { UUID_PATTERN, uuidv7 } from './ids';

describe('uuidv7', () => {
  it('encodes the millisecond timestamp big-endian in the first 48 bits, with version 7 and the RFC variant (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (now) => {
        const id = uuidv7(now);
        expect(id).toMatch(UUID_PATTERN);
        const hex = id.replace(/-/g, '');
        expect(parseInt(hex.slice(0, 12), 16)).toBe(now);
        expect(hex[12]).toBe('7');
        expect('89ab').toContain(hex[16]);
      }),
    );
  });

  it('sorts by creation time and does not repeat across many draws from the random pool', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => uuidv7(1_767_000_000_000 + i));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const same = Array.from({ length: 2000 }, () => uuidv7(1_767_000_000_000));
    expect(new Set(same).size).toBe(same.length);
  });
});
