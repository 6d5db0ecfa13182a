import { IdentityError } from '../identity.errors';
import { boundedExpiry, lifetimeLimit } from './api-tokens.service';

describe('API token lifetime (API_TOKEN_MAX_DAYS)', () => {
  const now = new Date('2026-03-10T15:30:00.000Z');

  it('gives a token without expiry exactly the maximum, and none when there is no limit', () => {
    expect(boundedExpiry(undefined, 365, now)?.toISOString()).toBe('2027-03-10T15:30:00.000Z');
    expect(boundedExpiry(null, 30, now)?.toISOString()).toBe('2026-04-09T15:30:00.000Z');
    expect(boundedExpiry(undefined, 0, now)).toBeNull();
    expect(lifetimeLimit(0, now)).toBeNull();
  });

  it('accepts the last day as a date (valid through it) and refuses the next day or a later instant', () => {
    expect(lifetimeLimit(365, now)).toMatchObject({ latestDate: '2027-03-10' });
    expect(boundedExpiry('2027-03-10', 365, now)?.toISOString()).toBe('2027-03-11T00:00:00.000Z');
    expect(boundedExpiry('2027-03-10T23:59:59Z', 365, now)?.toISOString()).toBe('2027-03-10T23:59:59.000Z');
    for (const value of ['2027-03-11', '2027-03-11T00:00:01Z']) {
      expect(() => boundedExpiry(value, 365, now)).toThrow(IdentityError);
      try {
        boundedExpiry(value, 365, now);
      } catch (err) {
        expect((err as IdentityError).code).toBe('TOKEN_LIFETIME_TOO_LONG');
        expect((err as IdentityError).details).toEqual({ maxDays: 365, latestExpiresAt: '2027-03-10' });
      }
    }
  });

  it('still refuses the past and nonsense before the limit is looked at', () => {
    expect(() => boundedExpiry('2026-03-09', 365, now)).toThrow(/in the future/);
    expect(() => boundedExpiry('2026-02-30', 365, now)).toThrow(/not a real date/);
    expect(boundedExpiry('2999-01-01', 0, now)?.toISOString()).toBe('2999-01-02T00:00:00.000Z');
  });
});
