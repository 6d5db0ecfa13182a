import { Role } from '@stackgate/platform';
import { RenewalDecisionKind } from './renewal-decision.entity';

/*
 * Who may record a renewal decision, and which inputs make sense (pure rules).
 *
 * SPEC §1: FINANCE owns contracts; the CMO and the CIO are the budget holders who decide on spend.
 * A decision is recorded by FINANCE (any contract), or by a CMO or CIO who owns the cost center that is
 * the tool's budget owner (their own budget). Nobody else, ADMIN included (no business decisions).
 */
export function mayRecordDecision(actor: { id: string; roles: readonly string[] }, budgetOwnerOwnerId: string | null): boolean {
  if (actor.roles.includes(Role.FINANCE)) return true;
  const budgetHolder = actor.roles.includes(Role.CMO) || actor.roles.includes(Role.CIO);
  return budgetHolder && !!budgetOwnerOwnerId && budgetOwnerOwnerId === actor.id;
}

export interface DecisionInput {
  decision: RenewalDecisionKind;
  seats?: number | null;
}

/**
 * What is wrong with the decision's seats, or null: DOWNSIZE needs the seats to keep (fewer than the
 * contract's seats when it has a seat count); the other decisions take no seat count.
 */
export function seatsProblem(
  input: DecisionInput,
  contractSeats: number | null,
): { kind: 'missing' | 'unexpected' | 'not-fewer'; message: string } | null {
  const has = input.seats !== undefined && input.seats !== null;
  if (input.decision === RenewalDecisionKind.DOWNSIZE) {
    if (!has) return { kind: 'missing', message: 'Enter how many seats to keep when downsizing' };
    if (contractSeats !== null && input.seats! >= contractSeats) {
      return { kind: 'not-fewer', message: `Downsizing must keep fewer seats than the ${contractSeats} purchased` };
    }
    return null;
  }
  return has ? { kind: 'unexpected', message: 'Seats are given only when the decision is to downsize' } : null;
}
