import { addDays, aggregateUsage, mergeUsage, parseUsageTimestamp, unusedSeatValue, UsageRow, usageAsOf } from './usage-rules';

const row = (app: string, user: string, over: Partial<UsageRow> = {}): UsageRow => ({
  app,
  user,
  assigned: true,
  activeOn: null,
  seenFrom: '2026-01-01',
  seenTo: '2026-01-01',
  ...over,
});

describe('parseUsageTimestamp', () => {
  it.each([
    ['2026-11-30', '2026-11-30'],
    ['2026-11-30T14:03:22Z', '2026-11-30'],
    ['2026-11-30 23:59:59', '2026-11-30'],
    ['2026-11-30T23:30:00-02:00', '2026-12-01'],
    ['2026-12-01T00:30:00.123+01:00', '2026-11-30'],
    ['2026-12-01T00:30:00+0100', '2026-11-30'],
  ])('%s → %s', (raw, day) => {
    expect(parseUsageTimestamp(raw, '2026-12-31')).toBe(day);
  });

  it.each(['30/11/2026', '2026-02-30', '2026-11-30T25:00:00Z', '1999-12-31', '2027-01-02', '=NOW()', 'yesterday'])('refuses %p', (raw) => {
    expect(parseUsageTimestamp(raw, '2026-12-31')).toHaveProperty('error');
  });
});

describe('aggregateUsage', () => {
  it('counts assigned users and users active in the 30 and 90 days ending on the as-of day', () => {
    const rows = [
      row('Slack', 'a', { activeOn: '2026-11-30', seenTo: '2026-11-30' }),
      row('Slack', 'b', { activeOn: '2026-11-01', seenTo: '2026-11-01' }), // 30th day back: active 30
      row('Slack', 'c', { activeOn: '2026-10-31', seenTo: '2026-10-31' }), // 31st day back: active 90 only
      row('Slack', 'd', { activeOn: '2026-09-02', seenTo: '2026-09-02' }), // 90th day back
      row('Slack', 'e', { activeOn: '2026-09-01', seenTo: '2026-09-01' }), // 91st day back: neither
      row('Slack', 'g', { assigned: false, activeOn: '2026-11-20', seenTo: '2026-11-21' }), // active, then unassigned: neither
      row('slack ', 'f', { assigned: false, seenFrom: '2025-06-01', seenTo: '2026-11-02' }), // unassigned, same app key
    ];
    const asOf = usageAsOf(rows)!;
    expect(asOf).toBe('2026-11-30');
    const [slack] = aggregateUsage(rows, asOf);
    expect(slack).toMatchObject({ assignedUsers: 5, activeUsers30: 2, activeUsers90: 4, firstSeen: '2025-06-01', lastSeen: '2026-11-30' });
  });

  it('takes the latest assignment statement of a user (a grant revoked later, a sign-in after)', () => {
    const rows = [
      row('Canva', 'a', { assigned: true, seenTo: '2026-03-01', activeOn: '2026-03-01' }),
      row('Canva', 'a', { assigned: false, seenTo: '2026-03-05' }),
      row('Canva', 'b', { assigned: false, seenTo: '2026-03-01' }),
      row('Canva', 'b', { assigned: true, seenTo: '2026-03-04', activeOn: '2026-03-04' }),
      row('Canva', 'c', { assigned: null, seenTo: '2026-03-05' }),
    ];
    // a: revoked after using it (not counted); b: granted again and active; c: a row without a statement.
    expect(aggregateUsage(rows, '2026-03-05')[0]).toMatchObject({ assignedUsers: 1, activeUsers30: 1 });
  });

  it('merges apps that are one tool counting each user once', () => {
    const apps = aggregateUsage(
      [
        row('Slack', 'a', { activeOn: '2026-03-01' }),
        row('Slack (SAML)', 'a', { activeOn: '2026-03-02' }),
        row('Slack (SAML)', 'b', { seenFrom: '2025-01-01' }),
      ],
      '2026-03-05',
    );
    expect(apps).toHaveLength(2);
    expect(mergeUsage('Slack', apps)).toMatchObject({ assignedUsers: 2, activeUsers30: 1, firstSeen: '2025-01-01' });
  });

  it('addDays crosses months and years', () => {
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });
});

describe('unusedSeatValue', () => {
  it('values unused seats at the per-seat price, each rounded half up from the exact fraction', () => {
    // 1,000.00 a year for 3 seats: 333.33(3) per seat; 2 unused = 666.66(6) → 666.67, not 2 × 333.33.
    expect(unusedSeatValue(3, 1, { annualValueMinor: 100_000n, seats: 3 })).toEqual({
      unusedSeats: 2,
      perSeatMinor: 33_333n,
      unusedValueMinor: 66_667n,
    });
  });

  it('has no unused seats when more users are active than seats, and no value without a contract', () => {
    expect(unusedSeatValue(10, 12, { annualValueMinor: 120_000n, seats: 10 })).toEqual({
      unusedSeats: 0,
      perSeatMinor: 12_000n,
      unusedValueMinor: 0n,
    });
    expect(unusedSeatValue(10, 4, null)).toEqual({ unusedSeats: 6, perSeatMinor: null, unusedValueMinor: null });
    expect(unusedSeatValue(null, 4, { annualValueMinor: 1n, seats: 1 })).toEqual({
      unusedSeats: null,
      perSeatMinor: null,
      unusedValueMinor: null,
    });
  });
});
