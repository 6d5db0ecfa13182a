import { CandidateAction, CandidateStatus } from '../discovery.enums';
import { DiscoveryError, DiscoveryErrorCode } from '../discovery.errors';

const { OPEN, REGISTERED, LINKED, DISMISSED } = CandidateStatus;

/**
 * The queue's state machine: from which statuses each action may start, and where it leads. Every
 * decision can be taken back by a later action: a dismissed candidate can be registered, linked or
 * reopened; a registered or linked one can be reopened (its alias is forgotten and its spend moves
 * back off the tool; a registered tool stays in the catalog for IT to retire).
 */
export const CANDIDATE_MOVES: Readonly<Record<CandidateAction, { from: readonly CandidateStatus[]; to: CandidateStatus }>> = {
  [CandidateAction.REGISTER]: { from: [OPEN, DISMISSED], to: REGISTERED },
  [CandidateAction.LINK]: { from: [OPEN, DISMISSED], to: LINKED },
  [CandidateAction.DISMISS]: { from: [OPEN], to: DISMISSED },
  [CandidateAction.REOPEN]: { from: [DISMISSED, REGISTERED, LINKED], to: OPEN },
};

/** The status `action` leads to from `status`, or 409 CANDIDATE_STATE naming what is allowed. */
export function nextStatus(status: CandidateStatus, action: CandidateAction): CandidateStatus {
  const move = CANDIDATE_MOVES[action];
  if (move.from.includes(status)) return move.to;
  throw new DiscoveryError(
    DiscoveryErrorCode.CANDIDATE_STATE,
    `A ${status.toLowerCase()} candidate cannot be ${PAST[action]}: only ${move.from.map((s) => s.toLowerCase()).join(' or ')} ones can`,
    { status, action, allowedFrom: move.from },
  );
}

/** The actions a candidate in `status` offers (the web page shows these forms). */
export function allowedActions(status: CandidateStatus): CandidateAction[] {
  return Object.values(CandidateAction).filter((action) => CANDIDATE_MOVES[action].from.includes(status));
}

const PAST: Record<CandidateAction, string> = {
  [CandidateAction.REGISTER]: 'registered',
  [CandidateAction.LINK]: 'linked',
  [CandidateAction.DISMISS]: 'dismissed',
  [CandidateAction.REOPEN]: 'reopened',
};
