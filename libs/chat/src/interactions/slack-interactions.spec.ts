import { Decision, Stage } from '@stackgate/procurement';
import { decidedLine, decisionModal, refusalWords, updatedMessage } from './slack-blocks';
import { parseSlackForm, readInteraction } from './slack-payload';

const ref = { requestId: '0190a5a0-0000-7000-8000-000000000001', stage: Stage.MARKETING, version: 3 };
const form = (payload: object) => Buffer.from(`payload=${encodeURIComponent(JSON.stringify(payload))}`);

describe('Slack payloads', () => {
  const click = (actionId: string, value: unknown) => ({
    type: 'block_actions',
    user: { id: 'U0CMO' },
    trigger_id: 't.1',
    container: { channel_id: 'C0REVIEWS', message_ts: '1767000000.000100' },
    message: { blocks: [{ type: 'section', block_id: 'summary' }] },
    actions: [{ action_id: actionId, value: typeof value === 'string' ? value : JSON.stringify(value) }],
  });

  it('reads the decision buttons of the contract and ignores every other action', () => {
    const approve = readInteraction(parseSlackForm(form(click('stackgate_approve', { r: ref.requestId, s: 'MARKETING', v: 3 }))));
    expect(approve).toMatchObject({
      kind: 'decision_button',
      decision: Decision.APPROVE,
      ref,
      slackUserId: 'U0CMO',
      message: { channel: 'C0REVIEWS', ts: '1767000000.000100' },
    });
    expect(readInteraction(parseSlackForm(form(click('stackgate_reject', { r: ref.requestId, s: 'IT', v: 1 }))))).toMatchObject({
      decision: Decision.REJECT,
    });
    expect(readInteraction(parseSlackForm(form(click('open_link', 'x'))))).toEqual({
      kind: 'ignored',
      type: 'block_actions',
      actionIds: ['open_link'],
    });
  });

  it('refuses a button value that does not name a request, a stage and a whole version', () => {
    for (const value of [
      '{',
      { r: 'x', s: 'MARKETING', v: 1 },
      { r: ref.requestId, s: 'LEGAL', v: 1 },
      { r: ref.requestId, s: 'IT', v: 1.5 },
    ])
      expect(() => readInteraction(parseSlackForm(form(click('stackgate_approve', value))))).toThrow(/button value/);
  });

  it('refuses bodies that are not a Slack form with a JSON payload', () => {
    expect(() => parseSlackForm(Buffer.from('a=b'))).toThrow(/payload field/);
    expect(() => parseSlackForm(Buffer.from('payload=%5B%5D'))).toThrow(/JSON object with a type/);
  });

  it('reads the modal submission: decision, comment and the message to update from its metadata', () => {
    const modal = decisionModal(ref, Decision.REQUEST_CHANGES, { channel: 'C0REVIEWS', ts: '1767000000.000100' });
    const submission = {
      type: 'view_submission',
      user: { id: 'U0CMO' },
      view: {
        callback_id: modal.callback_id,
        private_metadata: modal.private_metadata,
        state: { values: { comment: { comment: { value: 'Add the DPA' } } } },
      },
    };
    expect(readInteraction(parseSlackForm(form(submission)))).toEqual({
      kind: 'decision_modal',
      slackUserId: 'U0CMO',
      decision: Decision.REQUEST_CHANGES,
      ref,
      message: { channel: 'C0REVIEWS', ts: '1767000000.000100' },
      comment: 'Add the DPA',
    });
    const approving = {
      ...submission,
      view: { ...submission.view, private_metadata: JSON.stringify({ r: ref.requestId, s: 'IT', v: 1, d: 'APPROVE' }) },
    };
    expect(() => readInteraction(parseSlackForm(form(approving)))).toThrow(/no decision/);
  });
});

describe('Slack outcome words', () => {
  it('says why in reader words, with labels rather than codes', () => {
    const now = { version: 4, status: 'APPROVED', currentStage: null };
    expect(refusalWords('STALE_VERSION', 'x', ref, now)).toBe(
      'This request changed since this message (version 3 → 4); open it in Stackgate.',
    );
    expect(refusalWords('REQUEST_FINAL', 'x', ref, now)).toBe('This request is already approved; nothing more can be decided.');
    expect(refusalWords('NOT_CURRENT_STAGE', 'x', ref, { version: 4, status: 'IN_REVIEW', currentStage: 'IT' })).toBe(
      'The Marketing stage is not the one being decided now (the IT stage is); open the request in Stackgate.',
    );
    expect(refusalWords('WRONG_ROLE', 'Only a CMO decides the MARKETING stage', ref, null)).toBe('Only a CMO decides the Marketing stage.');
    expect(refusalWords('OWN_REQUEST', 'Nobody decides a stage of a request they created', ref, null)).toBe(
      'Nobody decides a stage of a request they created.',
    );
  });

  it('replaces only the decision buttons of the original message with the outcome', () => {
    const original = [
      { type: 'section', block_id: 'summary' },
      { type: 'actions', block_id: 'stackgate_decision' },
    ];
    const line = decidedLine(ref, Decision.APPROVE, 'Jane <Doe>', null);
    expect(line).toBe(':white_check_mark: Marketing stage: *Approved* by Jane &lt;Doe&gt;');
    const update = updatedMessage(original, null, line);
    expect(update.blocks).toEqual([original[0], { type: 'section', text: { type: 'mrkdwn', text: line } }]);
    expect(updatedMessage(null, '*Title*', line).blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Title*' } });
  });
});
