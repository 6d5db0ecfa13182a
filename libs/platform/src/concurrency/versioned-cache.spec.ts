import { VersionedCache } from './versioned-cache';

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('VersionedCache', () => {
  it('answers the kept result for the same key and version, and computes again for a new version', async () => {
    const cache = new VersionedCache<string>(4);
    let computed = 0;
    const compute = (value: string) => () => Promise.resolve(`${value}#${++computed}`);
    expect(await cache.get('tool', '7', compute('a'))).toBe('a#1');
    expect(await cache.get('tool', '7', compute('b'))).toBe('a#1');
    expect(await cache.get('tool', '8', compute('c'))).toBe('c#2');
    // The older version is not kept beside the newer one.
    expect(await cache.get('tool', '7', compute('d'))).toBe('d#3');
    expect(await cache.get('vendor', '7', compute('e'))).toBe('e#4');
    expect(cache.size).toBe(2);
  });

  it('shares one computation between callers of the same key and version, not across versions', async () => {
    const cache = new VersionedCache<number>(4);
    const first = deferred<number>();
    const second = deferred<number>();
    let calls = 0;
    const shared = cache.get('k', '1', () => (calls++, first.promise));
    const joined = cache.get('k', '1', () => (calls++, Promise.resolve(-1)));
    const newer = cache.get('k', '2', () => (calls++, second.promise));
    expect(calls).toBe(2);
    first.resolve(10);
    second.resolve(20);
    expect(await Promise.all([shared, joined, newer])).toEqual([10, 10, 20]);
  });

  it('keeps no failed computation: the next caller computes again', async () => {
    const cache = new VersionedCache<number>(4);
    const failing = deferred<number>();
    const failed = cache.get('k', '1', () => failing.promise);
    const joined = cache.get('k', '1', () => Promise.resolve(1));
    failing.reject(new Error('rate missing'));
    await expect(failed).rejects.toThrow('rate missing');
    await expect(joined).rejects.toThrow('rate missing');
    expect(cache.size).toBe(0);
    expect(await cache.get('k', '1', () => Promise.resolve(2))).toBe(2);
  });

  it('a late failure of a replaced computation does not drop the newer result', async () => {
    const cache = new VersionedCache<number>(4);
    const old = deferred<number>();
    const stale = cache.get('k', '1', () => old.promise);
    expect(await cache.get('k', '2', () => Promise.resolve(2))).toBe(2);
    old.reject(new Error('gone'));
    await expect(stale).rejects.toThrow('gone');
    expect(await cache.get('k', '2', () => Promise.resolve(3))).toBe(2);
  });

  it('keeps at most `capacity` keys, dropping the least recently used', async () => {
    const cache = new VersionedCache<string>(2);
    await cache.get('a', '1', () => Promise.resolve('a'));
    await cache.get('b', '1', () => Promise.resolve('b'));
    await cache.get('a', '1', () => Promise.resolve('a again'));
    await cache.get('c', '1', () => Promise.resolve('c'));
    expect(cache.size).toBe(2);
    expect(await cache.get('a', '1', () => Promise.resolve('a recomputed'))).toBe('a');
    expect(await cache.get('b', '1', () => Promise.resolve('b recomputed'))).toBe('b recomputed');
    expect(() => new VersionedCache(0)).toThrow();
  });

  it('with a weight per result, keeps what weighs at most `capacity`, least recently used going first', async () => {
    const cache = new VersionedCache<number[]>(10, (rows) => rows.length);
    await cache.get('a', '1', () => Promise.resolve([1, 2, 3, 4]));
    await cache.get('b', '1', () => Promise.resolve([1, 2, 3, 4]));
    expect(cache.weighs).toBe(8);
    await cache.get('a', '1', () => Promise.resolve([]));
    // c (4) brings the weight to 12: b, the least recently used, goes.
    await cache.get('c', '1', () => Promise.resolve([1, 2, 3, 4]));
    expect(cache.weighs).toBe(8);
    expect(await cache.get('b', '1', () => Promise.resolve([0]))).toEqual([0]);
    expect(await cache.get('a', '1', () => Promise.resolve([]))).toEqual([1, 2, 3, 4]);
    // A new version replaces the old one's weight; a result heavier than the capacity is not kept.
    await cache.get('a', '2', () => Promise.resolve([1]));
    expect(cache.weighs).toBe(6);
    await cache.get('big', '1', () => Promise.resolve(Array.from({ length: 11 }, (_, i) => i)));
    expect(cache.size).toBe(0);
    expect(cache.weighs).toBe(0);
  });
});
