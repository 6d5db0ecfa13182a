/**
 * At most `limit` calls of run() at once; the rest wait their turn in arrival order. Used where one
 * call holds a lot of memory (a stack map of 10,000 tools is ~7 MB of JSON, a cold report by tool reads
 * months of ledger sums), so that ten concurrent callers cost `limit` calls' worth of memory instead of ten.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`Semaphore limit must be a positive integer, got ${limit}`);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next caller, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Calls running and waiting (for tests and diagnostics). */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}
