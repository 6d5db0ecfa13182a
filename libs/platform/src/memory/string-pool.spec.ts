import { stringPool } from './string-pool';

// Which copy comes back cannot be seen from JavaScript (=== compares strings by value); what can go wrong is the value.
describe('stringPool', () => {
  it('answers a string equal to the one given, before and after it starts again at its bound', () => {
    const pool = stringPool(2);
    const given = ['tool-1', 'tool-2', 'tool-1', 'tool-3', 'tool-2', 'tool-1', '', 'tool-3'];
    expect(given.map((value) => pool(value))).toEqual(given);
    const unbounded = stringPool();
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i % 300}`);
    expect(keys.map((key) => unbounded(key))).toEqual(keys);
  });
});
