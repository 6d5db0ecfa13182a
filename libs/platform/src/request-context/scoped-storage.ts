import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * An AsyncLocalStorage that is switched off whenever no scope of it is open.
 *
 * On Node 20 an enabled AsyncLocalStorage installs promise hooks for the whole process, and from
 * then on every promise anywhere pays for them, whether or not it runs inside a store: a read creates
 * dozens of promises, so the hooks are a large share of a cheap read's CPU (docs/PERFORMANCE.md).
 * An AsyncLocalStorage never turns its hooks off by itself, so one write request would put them on
 * every later read. Here a scope is opened only by the work that needs the store, and when the last
 * open scope closes the storage is disabled, which removes the hooks until the next scope opens.
 *
 * Work that a scope starts and that outlives it (a promise still pending when the scope is closed)
 * sees no store once the storage has been disabled: close a scope only when its work is over.
 */
export class ScopedStorage<T> {
  private readonly storage = new AsyncLocalStorage<T>();
  private open = 0;

  /** The store of the scope the caller runs in; undefined outside every scope. */
  getStore(): T | undefined {
    return this.open ? this.storage.getStore() : undefined;
  }

  /** How many scopes are open (0: the storage is disabled and installs no hooks). */
  get openScopes(): number {
    return this.open;
  }

  /**
   * Opens a scope holding `store`, runs `fn` in it, and returns the function that closes the scope
   * (idempotent). `fn` and everything it starts see the store until then, so the caller decides when
   * the work is over: a request when its response closes.
   */
  enter(store: T, fn: () => void): () => void {
    this.open++;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      if (--this.open === 0) this.storage.disable();
    };
    try {
      this.storage.run(store, fn);
    } catch (err) {
      close();
      throw err;
    }
    return close;
  }

  /** Runs `fn` in a scope holding `store` that closes when the returned promise settles. */
  async run<R>(store: T, fn: () => Promise<R>): Promise<R> {
    let result!: Promise<R>;
    const close = this.enter(store, () => { result = fn(); });
    try {
      return await result;
    } finally {
      close();
    }
  }
}
