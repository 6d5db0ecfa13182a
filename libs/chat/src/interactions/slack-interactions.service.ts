import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Decision } from '@stackgate/procurement';
import { SlackApi } from './slack-api';
import { decidedLine, decisionModal, refusedLine, requestHeading, updatedMessage } from './slack-blocks';
import { SlackDecisionInput, SlackDecisionOutcome, SlackDecisions, SlackRefusal } from './slack-decisions.service';
import { SLACK_COMMENT_BLOCK_ID, SLACK_CONDITIONS_BLOCK_ID, SlackDecisionRef, SlackInteraction, SlackMessageRef } from './slack-payload';

/** What POST /slack/interactions answers Slack (always 200): nothing, or the modal's response_action. */
export type SlackAnswer = Record<string, unknown> | null;

/** How long a modal submission may take before Slack is answered anyway (Slack gives 3 seconds). */
const MODAL_ANSWER_BOUND_MS = 2000;

type Decided = { ref: SlackDecisionRef; decision: Decision; carried: SlackDecisionInput; outcome: SlackDecisionOutcome };
type ButtonClick = Extract<SlackInteraction, { kind: 'decision_button' }>;

/**
 * What each interaction does. Slack is answered within its 3 seconds: a button is acknowledged at
 * once and acted on right after (its outcome replaces the buttons through chat.update, or is told to
 * the person alone); a modal submission is decided within a bound, so a missing comment can be shown
 * on the modal's field. Failures of Slack calls are logged, never answered to Slack as errors.
 */
@Injectable()
export class SlackInteractionsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('SlackInteractions');
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly slack: SlackApi,
    private readonly decisions: SlackDecisions,
  ) {}

  /** Acts on one verified, first-seen interaction. */
  async handle(interaction: SlackInteraction): Promise<SlackAnswer> {
    if (interaction.kind === 'ignored') return null;
    if (interaction.kind === 'decision_button') {
      const { slackUserId, decision, ref, message, blocks } = interaction;
      if (decision === Decision.APPROVE)
        this.later('approve', async () => {
          const decided = await this.decideAs(slackUserId, ref, decision, { comment: null, conditions: null });
          if ('problem' in decided) return this.tell(message, slackUserId, decided.problem);
          await this.publish(decided, message, slackUserId, blocks);
        });
      else this.later('open the decision modal', () => this.openModal(interaction));
      return null;
    }
    const { slackUserId, decision, ref, message, comment, conditions } = interaction;
    const firstField = decision === Decision.APPROVE_WITH_CONDITIONS ? SLACK_CONDITIONS_BLOCK_ID : SLACK_COMMENT_BLOCK_ID;
    const work = this.decideAs(slackUserId, ref, decision, { comment, conditions });
    const inTime = await Promise.race([
      work,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), MODAL_ANSWER_BOUND_MS).unref()),
    ]);
    if (inTime && 'problem' in inTime) return fieldError(firstField, inTime.problem);
    if (inTime?.outcome.kind === 'refused' && inTime.outcome.scope !== 'message')
      return fieldError(inTime.outcome.field ?? firstField, inTime.outcome.reason);
    this.later('publish a modal decision', async () => {
      const decided = await work;
      if ('problem' in decided) return this.tell(message, slackUserId, decided.problem);
      await this.publish(decided, message, slackUserId, null);
    });
    return null;
  }

  /**
   * Request changes, Reject, Approve with conditions: the modal opens only for someone who may decide
   * the stage now (the same checks as the decision, without deciding); anyone else is told why instead,
   * and an out-of-date message gets its buttons replaced, as an Approve click would. Slack's trigger
   * lasts 3 seconds: when the checks took longer, the person is asked to click again.
   */
  private async openModal(click: ButtonClick): Promise<void> {
    const { slackUserId, decision, ref, triggerId, message, blocks } = click;
    let refusal: SlackRefusal | null;
    try {
      const identified = await this.decisions.identify(slackUserId);
      if ('problem' in identified) return this.tell(message, slackUserId, identified.problem);
      refusal = await this.decisions.refusalBeforeModal(identified.user, ref, decision);
    } catch (err) {
      this.logger.warn({
        msg: 'Slack interaction: could not check before the modal',
        requestId: ref.requestId,
        err: (err as Error)?.message,
      });
      return this.tell(
        message,
        slackUserId,
        'Stackgate could not check this request just now; nothing was decided. Try again in a moment.',
      );
    }
    if (refusal) return this.showRefusal(refusal, ref, message, slackUserId, blocks);
    try {
      await this.slack.openView(triggerId, decisionModal(ref, decision, message));
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error !== 'expired_trigger_id') throw err;
      await this.tell(message, slackUserId, 'Slack closed the window for this click before Stackgate answered; click the button again.');
    }
  }

  /** The decision as the Slack user's Stackgate account; a failure (Slack or the database unreachable) is logged and said in words. */
  private async decideAs(
    slackUserId: string,
    ref: SlackDecisionRef,
    decision: Decision,
    carried: SlackDecisionInput,
  ): Promise<Decided | { problem: string }> {
    try {
      const identified = await this.decisions.identify(slackUserId);
      if ('problem' in identified) return identified;
      return { ref, decision, carried, outcome: await this.decisions.decide(identified.user, ref, decision, carried) };
    } catch (err) {
      this.logger.warn({
        msg: 'Slack interaction: the decision could not be made',
        requestId: ref.requestId,
        err: (err as Error)?.message,
      });
      return {
        problem: 'Stackgate could not record your decision just now; nothing was decided. Try again in a moment, or decide in Stackgate.',
      };
    }
  }

  /** The outcome in Slack: the message's buttons replaced (decided, or the message is out of date), or a word to the person. */
  private async publish(decided: Decided, message: SlackMessageRef | null, slackUserId: string, blocks: Record<string, unknown>[] | null) {
    const { outcome, ref } = decided;
    if (outcome.kind === 'refused') return this.showRefusal(outcome, ref, message, slackUserId, blocks);
    if (!message) return;
    const line = decidedLine(ref, decided.decision, outcome.decider, decided.carried);
    await this.replaceButtons(ref, outcome.requestTitle, message, blocks, line);
  }

  /** A refusal about the message replaces its buttons (everyone sees it is out of date); any other is told to the person alone. */
  private async showRefusal(
    refusal: SlackRefusal,
    ref: SlackDecisionRef,
    message: SlackMessageRef | null,
    slackUserId: string,
    blocks: Record<string, unknown>[] | null,
  ) {
    if (refusal.scope !== 'message') return this.tell(message, slackUserId, refusal.reason);
    if (message) await this.replaceButtons(ref, refusal.requestTitle, message, blocks, refusedLine(refusal.reason));
  }

  private async replaceButtons(
    ref: SlackDecisionRef,
    title: string | null,
    message: SlackMessageRef,
    blocks: Record<string, unknown>[] | null,
    line: string,
  ) {
    const heading = title ? requestHeading(title, ref.requestId, this.decisions.publicUrl) : null;
    const update = updatedMessage(blocks, heading, line);
    await this.slack.updateMessage(message.channel, message.ts, update.text, update.blocks);
  }

  private async tell(message: SlackMessageRef | null, slackUserId: string, text: string): Promise<void> {
    if (message && this.slack.configured) await this.slack.tellPrivately(message.channel, slackUserId, text);
    else this.logger.warn({ msg: 'a Slack user could not be told why nothing happened', slackUserId, reason: text });
  }

  /** Runs `work` after Slack has been answered; its failure is logged (Slack already has its 200). */
  private later(what: string, work: () => Promise<unknown>): void {
    const run = new Promise((resolve) => setImmediate(resolve))
      .then(work)
      .catch((err: Error) => this.logger.warn({ msg: `Slack interaction: could not ${what}`, err: err?.message }))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Work started for Slack finishes before the app closes its database (tests and graceful shutdown wait for it). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.settled();
  }
}

const fieldError = (blockId: string, message: string): SlackAnswer => ({ response_action: 'errors', errors: { [blockId]: message } });
