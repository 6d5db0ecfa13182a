import { Role } from '@stackgate/platform';
import { Stage, WaitingRequest } from '@stackgate/procurement';
import { budgetOwnerDigest, REVIEWER_ROLES, reviewerDigest, reviewerItems } from './digest-composition';
import { digestMoment } from './weekly-digest.job';

const now = new Date('2026-12-07T07:00:00Z');
const day = (iso: string) => new Date(`${iso}T09:00:00Z`);
const waiting = (over: Partial<WaitingRequest>): WaitingRequest => ({
  requestId: 'r',
  title: 'Request',
  requesterId: 'someone',
  round: 1,
  stage: Stage.MARKETING,
  openedAt: day('2026-12-01'),
  dueAt: day('2026-12-08'),
  awaitsAssessment: false,
  deciders: [],
  ...over,
});

describe('reviewer digest', () => {
  const cmo = { id: 'cmo', roles: new Set([Role.CMO]) };
  const cio = { id: 'cio', roles: new Set([Role.CIO]) };
  const itUser = { id: 'it', roles: new Set([Role.IT]) };

  it('lists what the reviewer decides, overdue first (longest overdue first), then by due date, undated last', () => {
    const items = reviewerItems(
      cmo,
      [
        waiting({ requestId: 'later', title: 'Later', dueAt: day('2026-12-10') }),
        waiting({ requestId: 'undated', title: 'Undated', dueAt: null }),
        waiting({ requestId: 'late1', title: 'Late one day', dueAt: day('2026-12-06') }),
        waiting({ requestId: 'late4', title: 'Late four days', dueAt: day('2026-12-03'), openedAt: day('2026-11-20') }),
        waiting({ requestId: 'it', title: 'At IT', stage: Stage.IT }),
      ],
      now,
    );
    expect(items.map((i) => i.requestId)).toEqual(['late4', 'late1', 'later', 'undated']);
    expect(items[0]).toMatchObject({ overdue: true, daysOverdue: 3, ageDays: 16, dueDate: '2026-12-03', what: 'Marketing stage decision' });
    expect(items[1]).toMatchObject({ overdue: true, daysOverdue: 1 });
    expect(items[2]).toMatchObject({ overdue: false, daysOverdue: 0, dueDate: '2026-12-10' });
    expect(items[3]).toMatchObject({ dueDate: null });
    const data = reviewerDigest('Carla', items)!;
    expect(data).toMatchObject({
      name: 'Carla',
      count: 4,
      single: false,
      overdueCount: 2,
      singleOverdue: false,
      decisionCount: 4,
      assessmentCount: 0,
    });
    expect(reviewerDigest('Carla', [])).toBeNull();
  });

  it('follows the queue rules: not one’s own request, not after deciding another stage of it; IT gets assessments', () => {
    const requests = [
      waiting({ requestId: 'own', requesterId: 'cio', stage: Stage.IT }),
      waiting({ requestId: 'decided', stage: Stage.IT, deciders: [{ stage: Stage.MARKETING, userId: 'cio' }] }),
      waiting({ requestId: 'ok', stage: Stage.IT, awaitsAssessment: true }),
      waiting({ requestId: 'ahead', stage: Stage.MARKETING, awaitsAssessment: true }),
    ];
    expect(reviewerItems(cio, requests, now).map((i) => i.requestId)).toEqual(['ok']);
    expect(reviewerItems(itUser, requests, now).map((i) => [i.requestId, i.what])).toEqual([
      ['ok', 'IT assessment'],
      ['ahead', 'IT assessment'],
    ]);
    expect([...REVIEWER_ROLES].sort()).toEqual([Role.CIO, Role.CMO, Role.FINANCE, Role.IT].sort());
  });
});

describe('budget-owner digest', () => {
  const renewal = {
    toolId: 't1',
    toolName: 'Beta',
    reference: 'C-1',
    cancelByDate: '2027-01-15',
    endDate: '2027-02-14',
    autoRenew: true,
    annualValueMinor: 1_200_050n,
    currency: 'EUR',
  };
  const input = { asOf: '2026-12-07', days: 90, base: 'EUR' };
  const usd = (minor: bigint, currency: string) => (currency === 'USD' ? (minor * 9n) / 10n : null);

  it('values renewals in the base currency to the cent, ordered by cancel-by date, and totals them', () => {
    const data = budgetOwnerDigest(
      'Bea',
      {
        ...input,
        renewals: [
          renewal,
          {
            ...renewal,
            toolId: 't2',
            toolName: 'Alpha',
            cancelByDate: '2026-12-01',
            annualValueMinor: 100_001n,
            currency: 'USD',
            autoRenew: false,
          },
          { ...renewal, toolId: 't3', toolName: 'Gamma', cancelByDate: '2027-02-01', annualValueMinor: 5000n, currency: 'GBP' },
        ],
        seats: [],
      },
      usd,
    )!;
    expect(data.renewals.map((r) => [r.toolName, r.annualValue, r.converted, r.pastCancelBy])).toEqual([
      ['Alpha', '900.00 EUR', true, true],
      ['Beta', '12000.50 EUR', false, false],
      ['Gamma', '50.00 GBP', false, false],
    ]);
    expect(data.renewals[0].originalValue).toBe('1000.01 USD');
    expect(data.renewalValue).toBe('12900.50 EUR (without 1 in another currency: no exchange rate)');
    expect(data).toMatchObject({ renewalCount: 3, singleRenewal: false, unusedCount: 0 });
  });

  it('values unused seats (licensed − active) at the licence’s per-seat price, largest first', () => {
    const data = budgetOwnerDigest(
      'Bea',
      {
        ...input,
        renewals: [],
        seats: [
          { toolId: 'a', toolName: 'Small', licensedSeats: 10, activeUsers: 9, licenceValueBaseMinor: 100_000n, licenceSeats: 10 },
          { toolId: 'b', toolName: 'Big', licensedSeats: 30, activeUsers: 20, licenceValueBaseMinor: 100_000n, licenceSeats: 30 },
          { toolId: 'c', toolName: 'Full', licensedSeats: 5, activeUsers: 5, licenceValueBaseMinor: 100_000n, licenceSeats: 5 },
        ],
      },
      usd,
    )!;
    expect(data.unused.map((u) => [u.toolName, u.unusedSeats, u.value, u.perSeat])).toEqual([
      ['Big', 10, '333.33 EUR', '33.33 EUR'],
      ['Small', 1, '100.00 EUR', '100.00 EUR'],
    ]);
    expect(data).toMatchObject({ unusedCount: 2, unusedSeats: 11, unusedValue: '433.33 EUR', renewalCount: 0 });
  });

  it('says nothing when there is nothing to say', () => {
    expect(budgetOwnerDigest('Bea', { ...input, renewals: [], seats: [] }, usd)).toBeNull();
  });
});

describe('digest moment', () => {
  it('is DIGEST_DAY at DIGEST_HOUR (UTC) of the ISO week', () => {
    expect(digestMoment(new Date('2026-12-09T15:00:00Z'), 1, 7).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(digestMoment(new Date('2026-12-13T23:00:00Z'), 1, 7).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(digestMoment(new Date('2026-12-07T01:00:00Z'), 5, 16).toISOString()).toBe('2026-12-11T16:00:00.000Z');
    expect(digestMoment(new Date('2027-01-01T10:00:00Z'), 1, 0).toISOString()).toBe('2026-12-28T00:00:00.000Z');
  });
});
