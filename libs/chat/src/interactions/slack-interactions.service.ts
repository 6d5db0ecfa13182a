import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Decision } from '@stackgate/procurement';
import { SlackApi } from './slack-api';
import { decidedLine, decisionModal, refusedLine, requestHeading, updatedMessage } from './slack-blocks';
import { SlackDecisionOutcome, SlackDecisions } from './slack-decisions.service';
import { SLACK_COMMENT_BLOCK_ID, SlackDecisionRef, SlackInteraction, SlackMessageRef } from './slack-payload';

/** What POST /slack/interactions answers Slack (always 200): nothing, or the modal's response_action. */
export type SlackAnswer = Record<string, unknown> | null;

/** How long a modal submission may take before Slack is answered anyway (Slack gives 3 seconds). */
const MODAL_ANSWER_BOUND_MS = 2000;

type Decided = { ref: SlackDecisionRef; decision: Decision; comment: string | null; outcome: SlackDecisionOutcome };

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
      const { slackUserId, decision, ref, triggerId, message, blocks } = interaction;
      if (decision === Decision.APPROVE)
        this.later('approve', async () => {
          const decided = await this.decideAs(slackUserId, ref, decision, null);
          if ('problem' in decided) return this.tell(message, slackUserId, decided.problem);
          await this.publish(decided, message, slackUserId, blocks);
        });
      else this.later('open the decision modal', () => this.slack.openView(triggerId, decisionModal(ref, decision, message)));
      return null;
    }
    const { slackUserId, decision, ref, message, comment } = interaction;
    const work = this.decideAs(slackUserId, ref, decision, comment);
    const inTime = await Promise.race([
      work,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), MODAL_ANSWER_BOUND_MS).unref()),
    ]);
    if (inTime && 'problem' in inTime) return fieldError(inTime.problem);
    if (inTime?.outcome.kind === 'refused' && inTime.outcome.scope !== 'message') return fieldError(inTime.outcome.reason);
    this.later('publish a modal decision', async () => {
      const decided = await work;
      if ('problem' in decided) return this.tell(message, slackUserId, decided.problem);
      await this.publish(decided, message, slackUserId, null);
    });
    return null;
  }

  /** The decision as the Slack user's Stackgate account; a failure (Slack or the database unreachable) is logged and said in words. */
  private async decideAs(
    slackUserId: string,
    ref: SlackDecisionRef,
    decision: Decision,
    comment: string | null,
  ): Promise<Decided | { problem: string }> {
    try {
      const identified = await this.decisions.identify(slackUserId);
      if ('problem' in identified) return identified;
      return { ref, decision, comment, outcome: await this.decisions.decide(identified.user, ref, decision, comment) };
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
    if (outcome.kind === 'refused' && outcome.scope !== 'message') return this.tell(message, slackUserId, outcome.reason);
    if (!message) return;
    const line =
      outcome.kind === 'decided' ? decidedLine(ref, decided.decision, outcome.decider, decided.comment) : refusedLine(outcome.reason);
    const heading = outcome.requestTitle ? requestHeading(outcome.requestTitle, ref.requestId, this.decisions.publicUrl) : null;
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

const fieldError = (message: string): SlackAnswer => ({ response_action: 'errors', errors: { [SLACK_COMMENT_BLOCK_ID]: message } });
