import { CandidateAction, CandidateStatus } from '../discovery.enums';
import { DiscoveryError } from '../discovery.errors';
import { allowedActions, nextStatus } from './candidate-states';

const { OPEN, REGISTERED, LINKED, DISMISSED } = CandidateStatus;
const { REGISTER, LINK, DISMISS, REOPEN } = CandidateAction;

describe('candidate state machine', () => {
  it.each<[CandidateStatus, CandidateAction, CandidateStatus | 409]>([
    [OPEN, REGISTER, REGISTERED],
    [OPEN, LINK, LINKED],
    [OPEN, DISMISS, DISMISSED],
    [OPEN, REOPEN, 409],
    [DISMISSED, REGISTER, REGISTERED],
    [DISMISSED, LINK, LINKED],
    [DISMISSED, DISMISS, 409],
    [DISMISSED, REOPEN, OPEN],
    [REGISTERED, REGISTER, 409],
    [REGISTERED, LINK, 409],
    [REGISTERED, DISMISS, 409],
    [REGISTERED, REOPEN, OPEN],
    [LINKED, REGISTER, 409],
    [LINKED, LINK, 409],
    [LINKED, DISMISS, 409],
    [LINKED, REOPEN, OPEN],
  ])('%s --%s--> %s', (from, action, to) => {
    if (to === 409) {
      expect(() => nextStatus(from, action)).toThrow(DiscoveryError);
      try {
        nextStatus(from, action);
      } catch (error) {
        expect((error as DiscoveryError).status).toBe(409);
        expect((error as DiscoveryError).code).toBe('CANDIDATE_STATE');
      }
    } else expect(nextStatus(from, action)).toBe(to);
  });

  it('offers the actions the machine allows', () => {
    expect(allowedActions(OPEN)).toEqual([REGISTER, LINK, DISMISS]);
    expect(allowedActions(DISMISSED)).toEqual([REGISTER, LINK, REOPEN]);
    expect(allowedActions(LINKED)).toEqual([REOPEN]);
  });
});
