/**
 * Results kept per key under the version of the data they were computed from, for work that is
 * expensive to compute and cheap to version (a report over years of ledger rows: its months' change
 * counter). get() answers the kept result when the version is the one it was computed under, else
 * computes it once — callers asking for the same key and version at the same time share one
 * computation — and keeps the newest. At most `capacity` keys are kept, the least recently used going
 * first; a failed computation is not kept. The caller must read the version before the data: a result
 * is then never older than the version it is kept under.
 */
export class VersionedCache<T> {
  private readonly entries = new Map<string, { version: string; value: Promise<T> }>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`VersionedCache capacity must be a positive integer, got ${capacity}`);
  }

  get(key: string, version: string, compute: () => Promise<T>): Promise<T> {
    const kept = this.entries.get(key);
    if (kept && kept.version === version) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept.value;
    }
    const value = compute();
    const entry = { version, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /** Keys kept (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }
}
