import { Decision, Stage } from '@stackgate/procurement';
import { decidedLine, decisionActions, decisionModal, refusalWords, updatedMessage } from './slack-blocks';
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
      conditions: null,
    });
    const approving = {
      ...submission,
      view: { ...submission.view, private_metadata: JSON.stringify({ r: ref.requestId, s: 'IT', v: 1, d: 'APPROVE' }) },
    };
    expect(() => readInteraction(parseSlackForm(form(approving)))).toThrow(/no decision/);
  });
});

describe('Approve with conditions from Slack', () => {
  const value = (stage: Stage) => JSON.stringify({ r: ref.requestId, s: stage, v: 3 });

  it('offers the conditions button only where the stage sets conditions (IT, Finance), in the contract order and ids', () => {
    const ids = (stage: Stage) => (decisionActions({ ...ref, stage }).elements as { action_id: string }[]).map((el) => el.action_id);
    expect(ids(Stage.MARKETING)).toEqual(['stackgate_approve', 'stackgate_request_changes', 'stackgate_reject']);
    for (const stage of [Stage.IT, Stage.FINANCE])
      expect(ids(stage)).toEqual([
        'stackgate_approve',
        'stackgate_approve_with_conditions',
        'stackgate_request_changes',
        'stackgate_reject',
      ]);
    const block = decisionActions({ ...ref, stage: Stage.IT });
    expect(block).toMatchObject({ type: 'actions', block_id: 'stackgate_decision' });
    const elements = block.elements as { value: string; style?: string; text: { type: string; text: string } }[];
    expect(elements.map((el) => [el.text.text, el.style ?? null])).toEqual([
      ['Approve', 'primary'],
      ['Approve with conditions', null],
      ['Request changes', null],
      ['Reject', 'danger'],
    ]);
    for (const el of elements) expect(el.value).toBe(value(Stage.IT));
    // Every button value reads back as the request, stage and version it names.
    const click = {
      type: 'block_actions',
      user: { id: 'U0CIO' },
      trigger_id: 't.2',
      actions: [{ action_id: 'stackgate_approve_with_conditions', value: elements[1].value }],
    };
    expect(readInteraction(parseSlackForm(form(click)))).toMatchObject({
      kind: 'decision_button',
      decision: Decision.APPROVE_WITH_CONDITIONS,
      ref: { ...ref, stage: Stage.IT },
    });
  });

  it("builds the modal with a required multiline conditions input and an optional comment, within Slack's limits", () => {
    const modal = decisionModal({ ...ref, stage: Stage.FINANCE }, Decision.APPROVE_WITH_CONDITIONS, null);
    expect(modal).toMatchObject({ type: 'modal', callback_id: 'stackgate_decision_modal' });
    expect(JSON.parse(modal.private_metadata as string)).toEqual({ r: ref.requestId, s: 'FINANCE', v: 3, d: 'APPROVE_WITH_CONDITIONS' });
    const inputs = (modal.blocks as { type: string; block_id?: string; optional?: boolean; element?: Record<string, unknown> }[]).filter(
      (block) => block.type === 'input',
    );
    expect(inputs.map((block) => [block.block_id, block.optional ?? false])).toEqual([
      ['conditions', false],
      ['comment', true],
    ]);
    expect(inputs[0].element).toEqual({ type: 'plain_text_input', action_id: 'conditions', multiline: true, max_length: 3000 });
    for (const decision of [Decision.REJECT, Decision.REQUEST_CHANGES, Decision.APPROVE_WITH_CONDITIONS]) {
      const built = decisionModal(ref, decision, null) as { title: { text: string }; submit: { text: string } };
      expect(built.title.text.length).toBeLessThanOrEqual(24);
      expect(built.submit.text.length).toBeLessThanOrEqual(24);
    }
    expect(() => decisionModal(ref, Decision.APPROVE, null)).toThrow(/no modal/);
  });

  it('reads the submitted conditions one per line, and shows them in the outcome line', () => {
    const modal = decisionModal({ ...ref, stage: Stage.IT }, Decision.APPROVE_WITH_CONDITIONS, {
      channel: 'D0DM',
      ts: '1767000000.000200',
    });
    const submission = (conditions: string | null) => ({
      type: 'view_submission',
      user: { id: 'U0CIO' },
      view: {
        callback_id: modal.callback_id,
        private_metadata: modal.private_metadata,
        state: { values: { conditions: { conditions: { value: conditions } }, comment: { comment: { value: null } } } },
      },
    });
    expect(readInteraction(parseSlackForm(form(submission(' SSO before go-live \r\n\n  EU data only '))))).toMatchObject({
      decision: Decision.APPROVE_WITH_CONDITIONS,
      conditions: 'SSO before go-live\nEU data only',
      comment: null,
    });
    expect(readInteraction(parseSlackForm(form(submission(' \n  '))))).toMatchObject({ conditions: null });
    expect(
      decidedLine({ ...ref, stage: Stage.IT }, Decision.APPROVE_WITH_CONDITIONS, 'Ada', { comment: 'Fine', conditions: 'SSO\n<EU> only' }),
    ).toBe(':white_check_mark: IT stage: *Approved with conditions* by Ada\n• SSO\n• &lt;EU&gt; only\n>Fine');
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
    const line = decidedLine(ref, Decision.APPROVE, 'Jane <Doe>', { comment: null });
    expect(line).toBe(':white_check_mark: Marketing stage: *Approved* by Jane &lt;Doe&gt;');
    const update = updatedMessage(original, null, line);
    expect(update.blocks).toEqual([original[0], { type: 'section', text: { type: 'mrkdwn', text: line } }]);
    expect(updatedMessage(null, '*Title*', line).blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Title*' } });
  });
});
