import { Reflector } from '@nestjs/core';
import { IdempotencyClaim, IdempotencyKeys } from '@stackgate/platform';
import { FlashMessages } from './flash';
import { SubmitOnceInterceptor } from './submit-once';

/** The claim a second submission of a form acts on, given what the key store answers in turn. */
async function settle(answers: IdempotencyClaim[]) {
  let calls = 0;
  const keys = { claim: async () => answers[Math.min(calls++, answers.length - 1)] } as unknown as IdempotencyKeys;
  const interceptor = new SubmitOnceInterceptor(new Reflector(), keys, {} as FlashMessages);
  const started = Date.now();
  const claim = await (interceptor as unknown as { settledClaim(k: string, u: string, a: string): Promise<IdempotencyClaim> }).settledClaim(
    'key',
    'user',
    'tool.create',
  );
  return { claim, calls, ms: Date.now() - started };
}

describe('SubmitOnce: a form sent again while the first submission records its result', () => {
  it('waits for the first to finish and answers with its record', async () => {
    const { claim, calls } = await settle([{ state: 'pending' }, { state: 'pending' }, { state: 'done', location: '/catalog/t1' }]);
    expect(claim).toEqual({ state: 'done', location: '/catalog/t1' });
    expect(calls).toBe(3);
  });

  it('takes the key over when the first was refused and let it go', async () => {
    expect((await settle([{ state: 'pending' }, { state: 'claimed' }])).claim).toEqual({ state: 'claimed' });
  });

  it('answers "still being sent" only after waiting about three seconds', async () => {
    const { claim, ms } = await settle([{ state: 'pending' }]);
    expect(claim).toEqual({ state: 'pending' });
    expect(ms).toBeGreaterThanOrEqual(2900);
  });

  it('does not wait for a key that is free, done or another form', async () => {
    for (const answer of [{ state: 'claimed' }, { state: 'done', location: '/x' }, { state: 'foreign' }] as IdempotencyClaim[]) {
      const { claim, calls } = await settle([answer]);
      expect(claim).toEqual(answer);
      expect(calls).toBe(1);
    }
  });
});
