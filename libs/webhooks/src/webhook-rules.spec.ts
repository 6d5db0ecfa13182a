import { MAX_RETRY_DELAY_MS, retryDelayMs, signingSecrets } from './webhook-rules';

describe('webhook retry and rotation rules', () => {
  it('backs off exponentially from the base, with jitter between 0.5x and 1.5x, capped at 6 hours', () => {
    expect(retryDelayMs(1, 30, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(2, 30, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(5, 30, () => 0.5)).toBe(480_000);
    expect(retryDelayMs(1, 30, () => 0)).toBe(15_000);
    expect(retryDelayMs(1, 30, () => 0.999999)).toBeLessThanOrEqual(45_000);
    expect(retryDelayMs(40, 30, () => 0.5)).toBe(MAX_RETRY_DELAY_MS);
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(3, 30)));
    expect(delays.size).toBeGreaterThan(1);
  });

  it('signs with the previous secret only during its grace period', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    expect(signingSecrets('new', 'old', new Date('2026-12-05T12:00:00Z'), now)).toEqual(['new', 'old']);
    expect(signingSecrets('new', 'old', new Date('2026-12-04T11:59:59Z'), now)).toEqual(['new']);
    expect(signingSecrets('new', null, null, now)).toEqual(['new']);
  });
});
