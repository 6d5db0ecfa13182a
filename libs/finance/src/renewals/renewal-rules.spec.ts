import { Role } from '@stackgate/platform';
import { RenewalDecisionKind } from './renewal-decision.entity';
import { mayRecordDecision, seatsProblem } from './renewal-rules';

describe('mayRecordDecision', () => {
  const owner = 'u-owner';
  it('lets FINANCE record on any contract', () => {
    expect(mayRecordDecision({ id: 'x', roles: [Role.FINANCE] }, null)).toBe(true);
    expect(mayRecordDecision({ id: 'x', roles: [Role.FINANCE] }, owner)).toBe(true);
  });
  it("lets a CMO or CIO record only when they own the tool's budget-owner cost center", () => {
    expect(mayRecordDecision({ id: owner, roles: [Role.CMO] }, owner)).toBe(true);
    expect(mayRecordDecision({ id: owner, roles: [Role.CIO] }, owner)).toBe(true);
    expect(mayRecordDecision({ id: 'other', roles: [Role.CMO] }, owner)).toBe(false);
    expect(mayRecordDecision({ id: owner, roles: [Role.CMO] }, null)).toBe(false);
  });
  it('refuses everyone else, even the owner of the cost center', () => {
    for (const role of [Role.MARKETER, Role.IT, Role.ADMIN]) expect(mayRecordDecision({ id: owner, roles: [role] }, owner)).toBe(false);
  });
});

describe('seatsProblem', () => {
  it('needs seats for DOWNSIZE, fewer than purchased', () => {
    expect(seatsProblem({ decision: RenewalDecisionKind.DOWNSIZE }, 25)?.kind).toBe('missing');
    expect(seatsProblem({ decision: RenewalDecisionKind.DOWNSIZE, seats: 25 }, 25)?.kind).toBe('not-fewer');
    expect(seatsProblem({ decision: RenewalDecisionKind.DOWNSIZE, seats: 10 }, 25)).toBeNull();
    expect(seatsProblem({ decision: RenewalDecisionKind.DOWNSIZE, seats: 10 }, null)).toBeNull();
  });
  it('refuses seats for the other decisions', () => {
    expect(seatsProblem({ decision: RenewalDecisionKind.RENEW, seats: 3 }, 25)?.kind).toBe('unexpected');
    for (const kind of [RenewalDecisionKind.RENEW, RenewalDecisionKind.RENEGOTIATE, RenewalDecisionKind.CANCEL])
      expect(seatsProblem({ decision: kind, seats: null }, 25)).toBeNull();
  });
});
