import { dueMilestones } from './renewal-reminders.job';

describe('renewal milestones', () => {
  const contract = { reviewStartDate: '2026-11-01', cancelByDate: '2026-12-01' };
  it('is due from each milestone date until the cancel-by date', () => {
    expect(dueMilestones(contract, '2026-10-31')).toEqual([]);
    expect(dueMilestones(contract, '2026-11-01')).toEqual(['review-start']);
    expect(dueMilestones(contract, '2026-11-23')).toEqual(['review-start']);
    expect(dueMilestones(contract, '2026-11-24')).toEqual(['review-start', 'cancel-by-minus-7']);
    expect(dueMilestones(contract, '2026-12-01')).toEqual(['review-start', 'cancel-by-minus-7']);
    expect(dueMilestones(contract, '2026-12-02')).toEqual([]);
  });
  it('handles a review that starts inside the last week', () => {
    expect(dueMilestones({ reviewStartDate: '2026-11-28', cancelByDate: '2026-12-01' }, '2026-11-26')).toEqual(['cancel-by-minus-7']);
  });
});
