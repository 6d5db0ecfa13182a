import { SharedRuns } from './shared-runs';

/** A run that waits until released, recording when it started. */
function gated() {
  const started: number[] = [];
  const releases: Array<(value: string) => void> = [];
  const failures: Array<(error: Error) => void> = [];
  const work = () =>
    new Promise<string>((resolve, reject) => {
      started.push(started.length + 1);
      releases.push(resolve);
      failures.push(reject);
    });
  return { started, releases, failures, work };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SharedRuns', () => {
  it('starts a run for a caller who asks while none is going', async () => {
    const runs = new SharedRuns<string>();
    const { started, releases, work } = gated();
    const answer = runs.run('k', work);
    await tick();
    expect(started).toEqual([1]);
    releases[0]('one');
    await expect(answer).resolves.toBe('one');
    expect(runs.size).toBe(0);
  });

  it('has the callers who ask while a run is going share the next run, started only when that one ends', async () => {
    const runs = new SharedRuns<string>();
    const { started, releases, work } = gated();
    const first = runs.run('k', work);
    await tick();
    const later = Array.from({ length: 5 }, () => runs.run('k', work));
    await tick();
    // The going run is not joined (it may have read before they asked), and the next waits for it.
    expect(started).toEqual([1]);
    releases[0]('first');
    await expect(first).resolves.toBe('first');
    await tick();
    expect(started).toEqual([1, 2]);
    // A caller asking now that the second run is going waits for a third.
    const third = runs.run('k', work);
    releases[1]('second');
    await expect(Promise.all(later)).resolves.toEqual(Array(5).fill('second'));
    await tick();
    expect(started).toEqual([1, 2, 3]);
    releases[2]('third');
    await expect(third).resolves.toBe('third');
    expect(runs.size).toBe(0);
  });

  it('runs different keys independently', async () => {
    const runs = new SharedRuns<string>();
    const { started, releases, work } = gated();
    const first = runs.run('a', work);
    const second = runs.run('b', work);
    await tick();
    expect(started).toEqual([1, 2]);
    releases[1]('b');
    releases[0]('a');
    await expect(Promise.all([first, second])).resolves.toEqual(['a', 'b']);
  });

  it('fails the callers of a failed run only, and keeps nothing of it', async () => {
    const runs = new SharedRuns<string>();
    const { started, releases, failures, work } = gated();
    const first = runs.run('k', work);
    await tick();
    const next = runs.run('k', work);
    failures[0](new Error('database gone'));
    await expect(first).rejects.toThrow('database gone');
    await tick();
    expect(started).toEqual([1, 2]);
    releases[1]('recovered');
    await expect(next).resolves.toBe('recovered');
    expect(runs.size).toBe(0);
    const again = runs.run('k', work);
    await tick();
    expect(started).toEqual([1, 2, 3]);
    releases[2]('fresh');
    await expect(again).resolves.toBe('fresh');
  });

  it('fails the callers of a run whose work throws at once', async () => {
    const runs = new SharedRuns<string>();
    await expect(
      runs.run('k', () => {
        throw new Error('bad');
      }),
    ).rejects.toThrow('bad');
    expect(runs.size).toBe(0);
  });
});
