/**
 * One run at a time per key, shared by the callers who ask while it is due. A caller who asks while no run
 * of its key is going starts one; a caller who asks while one is going joins the next run, which starts when
 * the going one ends — after every caller sharing it has asked, so each sees what was committed before it
 * asked. Ten callers asking for the same large answer at once cost two runs (their CPU, and the memory of
 * the answers being built), not ten. A failed run fails every caller sharing it and is not kept.
 */
export class SharedRuns<T> {
  /** Per key, the latest run: going, or due after the one going. */
  private readonly latest = new Map<string, Promise<T>>();
  /** Per key, the run due after the one going (not started yet): new callers join it. */
  private readonly due = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const due = this.due.get(key);
    if (due) return due;
    const going = this.latest.get(key);
    let run: Promise<T>;
    if (going) {
      const settled = () => undefined;
      run = going.then(settled, settled).then(() => {
        this.due.delete(key);
        return work();
      });
      this.due.set(key, run);
    } else {
      run = Promise.resolve().then(work);
    }
    this.latest.set(key, run);
    const done = () => {
      if (this.latest.get(key) === run) this.latest.delete(key);
    };
    run.then(done, done);
    return run;
  }

  /** Keys with a run going or due (for tests and diagnostics). */
  get size(): number {
    return this.latest.size;
  }
}
