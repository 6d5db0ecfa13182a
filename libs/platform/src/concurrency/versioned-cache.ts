/**
 * Results kept per key under the version of the data they were computed from, for work that is
 * expensive to compute and cheap to version (a report over years of ledger rows: its months' change
 * counter). get() answers the kept result when the version is the one it was computed under, else
 * computes it once — callers asking for the same key and version at the same time share one
 * computation — and keeps the newest. The kept results weigh at most `capacity` (each weighs 1, or
 * what `weightOf` says of it once computed), the least recently used going first; a failed computation
 * is not kept. The caller must read the version before the data: a result is then never older than the
 * version it is kept under.
 */
export class VersionedCache<T> {
  private readonly entries = new Map<string, { version: string; value: Promise<T>; weight: number }>();
  private weight = 0;

  constructor(
    private readonly capacity: number,
    private readonly weightOf?: (value: T) => number,
  ) {
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
    const entry = { version, value, weight: this.weightOf ? 0 : 1 };
    this.remove(key);
    this.entries.set(key, entry);
    this.weight += entry.weight;
    this.evict();
    value.then(
      (result) => {
        if (!this.weightOf || this.entries.get(key) !== entry) return;
        entry.weight = Math.max(0, this.weightOf(result));
        this.weight += entry.weight;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === entry) this.remove(key);
      },
    );
    return value;
  }

  /** Keys kept (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /** What the kept results weigh (for tests and diagnostics). */
  get weighs(): number {
    return this.weight;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.weight -= entry.weight;
    this.entries.delete(key);
  }

  /** Least recently used first, down to the capacity (a result heavier than it all alone is not kept). */
  private evict(): void {
    while (this.weight > this.capacity && this.entries.size) this.remove(this.entries.keys().next().value!);
  }
}
