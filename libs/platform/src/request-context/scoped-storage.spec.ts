import { AsyncLocalStorage } from 'node:async_hooks';
import { ScopedStorage } from './scoped-storage';

const tick = () => new Promise<void>((r) => setImmediate(r));

/** Node 20's AsyncLocalStorage keeps its hooks on while `enabled` (an internal field; absent elsewhere). */
const inner = (s: ScopedStorage<unknown>) => (s as unknown as { storage: AsyncLocalStorage<unknown> & { enabled?: boolean } }).storage;

describe('ScopedStorage', () => {
  it('gives a scope and what it starts its store, and nothing outside', async () => {
    const storage = new ScopedStorage<string>();
    const seen: (string | undefined)[] = [];
    const close = storage.enter('a', () => {
      seen.push(storage.getStore());
      void tick().then(() => seen.push(storage.getStore()));
    });
    seen.push(storage.getStore());
    await tick();
    await tick();
    expect(seen).toEqual(['a', undefined, 'a']);
    close();
  });

  it('keeps overlapping scopes apart and switches off when the last one closes', async () => {
    const storage = new ScopedStorage<number>();
    const seen: string[] = [];
    const work = (n: number) => storage.enter(n, () => {
      void (async () => {
        for (let i = 0; i < 3; i++) { await tick(); seen.push(`${n}:${storage.getStore()}`); }
      })();
    });
    const close1 = work(1);
    const close2 = work(2);
    expect(storage.openScopes).toBe(2);
    for (let i = 0; i < 5; i++) await tick();
    expect(seen.sort()).toEqual(['1:1', '1:1', '1:1', '2:2', '2:2', '2:2']);
    close1();
    close1(); // idempotent: the other scope stays open
    expect(storage.openScopes).toBe(1);
    if ('enabled' in inner(storage)) expect(inner(storage).enabled).toBe(true);
    close2();
    expect(storage.openScopes).toBe(0);
    if ('enabled' in inner(storage)) expect(inner(storage).enabled).toBe(false);
    // Open again after being switched off: the new scope has its store, old work doesn't leak into it.
    const close3 = storage.enter(3, () => expect(storage.getStore()).toBe(3));
    expect(storage.getStore()).toBeUndefined();
    close3();
  });

  it('closes the scope when the function throws, and run() when its promise settles', async () => {
    const storage = new ScopedStorage<string>();
    expect(() => storage.enter('x', () => { throw new Error('boom'); })).toThrow('boom');
    expect(storage.openScopes).toBe(0);
    await expect(storage.run('y', async () => { await tick(); return storage.getStore(); })).resolves.toBe('y');
    expect(storage.openScopes).toBe(0);
    await expect(storage.run('z', async () => { await tick(); throw new Error('late'); })).rejects.toThrow('late');
    expect(storage.openScopes).toBe(0);
  });
});
