import { applyChange, categoryOf, changeProblems, effectiveChannels, isoWeek, MANDATORY, mandatoryChannels } from './preference-rules';

describe('notification preference rules', () => {
  const known = new Set(['review-needed', 'webhook-disabled', 'stage-decided', 'digest-reviewer']);

  it('defaults to every channel on (what Stackgate did before preferences)', () => {
    expect(effectiveChannels('review-needed', null)).toEqual({ inbox: true, email: true, slack: true });
    expect(effectiveChannels('review-needed', { email: false })).toEqual({ inbox: true, email: false, slack: true });
  });

  it('keeps the mandatory channels of security notices on whatever is stored', () => {
    expect(mandatoryChannels('webhook-disabled')).toEqual(['inbox', 'email']);
    expect(effectiveChannels('webhook-disabled', { inbox: false, email: false, slack: false })).toEqual({
      inbox: true,
      email: true,
      slack: false,
    });
    expect(Object.keys(MANDATORY)).toEqual(['webhook-disabled']);
  });

  it('refuses unknown events, digests as events, duplicates and mandatory channels turned off', () => {
    expect(changeProblems([{ event: 'review-needed', email: false }], known)).toEqual([]);
    expect(changeProblems([{ event: 'nope', email: false }], known)).toEqual([
      { field: 'events[0].event', message: '"nope" is not a notification event you can set' },
    ]);
    expect(changeProblems([{ event: 'digest-reviewer', email: false }], known)).toHaveLength(1);
    expect(
      changeProblems(
        [
          { event: 'review-needed', email: false },
          { event: 'review-needed', inbox: false },
        ],
        known,
      ),
    ).toEqual([{ field: 'events[1].event', message: '"review-needed" is given more than once' }]);
    expect(changeProblems([{ event: 'webhook-disabled', email: false, slack: false }], known)).toEqual([
      { field: 'events[0].email', message: 'webhook-disabled is always delivered by email: it cannot be turned off' },
    ]);
    expect(changeProblems([{ event: 'webhook-disabled', slack: false, email: true }], known)).toEqual([]);
  });

  it('applies a partial change over the stored row or the defaults', () => {
    expect(applyChange(null, { event: 'x', email: false })).toEqual({ inbox: true, email: false, slack: true });
    expect(applyChange({ inbox: false, email: false, slack: true }, { event: 'x', slack: false })).toEqual({
      inbox: false,
      email: false,
      slack: false,
    });
  });

  it('groups events into reader-worded categories, new ones under "Other notices"', () => {
    expect(categoryOf('review-needed')).toEqual({ code: 'REVIEWS', label: 'Reviews waiting for me' });
    expect(categoryOf('request-approved').code).toBe('DECISIONS');
    expect(categoryOf('webhook-disabled').code).toBe('ADMIN');
    expect(categoryOf('something-new')).toEqual({ code: 'OTHER', label: 'Other notices' });
  });

  it('names ISO 8601 weeks (the digest period), across year ends', () => {
    expect(isoWeek(new Date('2026-12-07T07:00:00Z'))).toBe('2026-W50');
    expect(isoWeek(new Date('2027-01-01T10:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2025-12-29T00:00:00Z'))).toBe('2026-W01');
    expect(isoWeek(new Date('2027-01-04T00:00:00Z'))).toBe('2027-W01');
  });
});
