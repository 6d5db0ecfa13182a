import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@stackgate/audit';
import { rolesOf, ServiceAccountsService, UsersRepository } from '@stackgate/identity';
import {
  APP_CONFIG,
  AppConfig,
  AuthUser,
  createValidationPipe,
  isDomainError,
  requestContext,
  Role,
  runInContext,
} from '@stackgate/platform';
import {
  DECIDER_ROLE,
  Decision,
  DecideStageDto,
  ProcurementErrorCode,
  RequestQueriesService,
  RequestReviewService,
  RequestsService,
} from '@stackgate/procurement';
import { SlackApi } from './slack-api';
import { refusalWords } from './slack-blocks';
import { SlackDecisionRef } from './slack-payload';
import { SLACK_INTERACTIONS_PATH } from './slack-raw-body';

/** The roles POST /api/v1/requests/:id/decisions allows (its @Allow): the deciders of the stages. */
const DECIDER_ROLES: readonly Role[] = [...new Set(Object.values(DECIDER_ROLE))] as Role[];

/** Refusals about the message itself (it shows a request that moved on): its buttons are replaced by the reason. */
const MESSAGE_REFUSALS = new Set(['STALE_VERSION', 'NOT_CURRENT_STAGE', 'REQUEST_FINAL', 'NOT_IN_REVIEW', 'STAGE_ALREADY_DECIDED']);
/** Refusals of a missing input: the modal shows them on its comment field. */
const INPUT_REFUSALS = new Set(['COMMENT_REQUIRED', 'CONDITIONS_REQUIRED', 'VALIDATION_FAILED']);

/** A refusal in reader words. `scope`: 'message' replaces the buttons; 'person' tells only the person who clicked; 'input' belongs on the modal. */
export type SlackRefusal = {
  kind: 'refused';
  scope: 'message' | 'person' | 'input';
  reason: string;
  requestTitle: string | null;
  /** The modal's input the refusal is about (the missing comment or conditions); null: the modal's first input. */
  field: 'comment' | 'conditions' | null;
};
export type SlackDecisionOutcome = { kind: 'decided'; decider: string; requestTitle: string } | SlackRefusal;

/** What a decision from Slack carries (the modal's inputs). */
export interface SlackDecisionInput {
  comment: string | null;
  conditions: string | null;
}

/**
 * Acting from Slack as a Stackgate user: the Slack account is mapped to the active user with the same
 * verified e-mail, and the decision goes through the same service, validation and role rule as
 * POST /api/v1/requests/:id/decisions, in a request context whose actor is that user and whose channel
 * (`via: 'slack'`) every audit event of the decision records.
 */
@Injectable()
export class SlackDecisions {
  private readonly validation = createValidationPipe();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly slack: SlackApi,
    private readonly users: UsersRepository,
    private readonly serviceAccounts: ServiceAccountsService,
    private readonly requests: RequestsService,
    private readonly review: RequestReviewService,
    private readonly queries: RequestQueriesService,
    private readonly audit: AuditService,
  ) {}

  /** The Stackgate user behind a Slack account, or why there is none (said to the person in Slack). */
  async identify(slackUserId: string): Promise<{ user: AuthUser } | { problem: string }> {
    if (!this.slack.configured)
      return { problem: 'Stackgate cannot identify you: its Slack bot token (SLACK_BOT_TOKEN) is not set. Decide in Stackgate.' };
    const account = await this.slack.account(slackUserId);
    if (!account || account.deleted || account.bot) return { problem: 'This Slack account cannot act in Stackgate; nothing was decided.' };
    if (!account.email)
      return { problem: 'Stackgate cannot read the e-mail address of your Slack profile (the app needs the users:read.email scope).' };
    if (account.emailConfirmed === false)
      return { problem: 'The e-mail address of your Slack profile is not confirmed; confirm it in Slack, or decide in Stackgate.' };
    const user = await this.users.findByEmail(account.email);
    if (!user || !user.active || (await this.serviceAccounts.isServiceAccount(user.id)))
      return {
        problem:
          `No active Stackgate account has the e-mail address of your Slack profile (${account.email}); ` +
          'nothing was decided. Ask an administrator, or decide in Stackgate.',
      };
    return { user: { id: user.id, email: user.email, displayName: user.displayName, roles: rolesOf(user) } };
  }

  /** Decides `ref`'s stage as `actor`, exactly as the API would; a refusal comes back in reader words. */
  async decide(actor: AuthUser, ref: SlackDecisionRef, decision: Decision, carried: SlackDecisionInput): Promise<SlackDecisionOutcome> {
    return this.asActor(actor, async () => {
      const denied = await this.roleRefusal(actor);
      if (denied) return denied;
      try {
        const body = {
          stage: ref.stage,
          decision,
          version: ref.version,
          ...(carried.comment !== null ? { comment: carried.comment } : {}),
          ...(carried.conditions !== null ? { conditions: carried.conditions } : {}),
        };
        const dto = (await this.validation.transform(body, { type: 'body', metatype: DecideStageDto })) as DecideStageDto;
        const view = await this.requests.decide(actor, ref.requestId, dto);
        return { kind: 'decided', decider: actor.displayName, requestTitle: view.title };
      } catch (err) {
        return this.refusal(err, actor, ref);
      }
    });
  }

  /**
   * Before a modal opens: whether `actor` may decide `ref`'s stage with `decision` now, by the review
   * policy's own rules (RequestReviewService.assertMayDecide: role, separation of duties, the request's
   * state and version, the stage, IT's assessment) without deciding; null when the modal may open. A
   * refusal of the person (403) is audited as the API audits it; the submission checks everything again.
   */
  async refusalBeforeModal(actor: AuthUser, ref: SlackDecisionRef, decision: Decision): Promise<SlackRefusal | null> {
    return this.asActor(actor, async () => {
      const denied = await this.roleRefusal(actor);
      if (denied) return denied;
      try {
        await this.review.assertMayDecide(actor, ref.requestId, { stage: ref.stage, decision, version: ref.version });
        return null;
      } catch (err) {
        if (isDomainError(err) && err.status === 403)
          await this.audit.record(undefined, {
            action: 'authz.denied',
            entityType: 'ToolRequest',
            entityId: ref.requestId,
            metadata: { reason: err.code, stage: ref.stage, decision },
          });
        return this.refusal(err, actor, ref);
      }
    });
  }

  /** Runs `work` in a request context whose actor is `actor` and whose channel is Slack (every audit event records `via: 'slack'`). */
  private asActor<T>(actor: AuthUser, work: () => Promise<T>): Promise<T> {
    const outer = requestContext();
    const context = {
      requestId: outer?.requestId ?? 'slack',
      ip: outer?.ip,
      actor: { id: actor.id, email: actor.email, roles: actor.roles },
      via: 'slack',
    };
    return runInContext(context, work);
  }

  /** The route's own role gate (POST /api/v1/requests/:id/decisions allows the deciders only), audited like the API's. */
  private async roleRefusal(actor: AuthUser): Promise<SlackRefusal | null> {
    if (actor.roles.some((role) => DECIDER_ROLES.includes(role))) return null;
    await this.audit.record(undefined, {
      action: 'authz.denied',
      entityType: 'Route',
      entityId: null,
      metadata: { method: 'POST', path: SLACK_INTERACTIONS_PATH, requiredRoles: DECIDER_ROLES, roles: actor.roles },
    });
    return {
      kind: 'refused',
      scope: 'person',
      reason: 'Your Stackgate roles do not allow deciding review stages.',
      requestTitle: null,
      field: null,
    };
  }

  /** A refusal of the review policy (or validation) in reader words; anything else is thrown on. */
  private async refusal(err: unknown, actor: AuthUser, ref: SlackDecisionRef): Promise<SlackRefusal> {
    if (!isDomainError(err) || err.status >= 500) throw err;
    const code = err.code;
    const scope = MESSAGE_REFUSALS.has(code) ? 'message' : INPUT_REFUSALS.has(code) ? 'input' : 'person';
    const field =
      code === ProcurementErrorCode.CONDITIONS_REQUIRED ? 'conditions' : code === ProcurementErrorCode.COMMENT_REQUIRED ? 'comment' : null;
    const current = await this.queries.get(actor, ref.requestId).catch(() => null);
    const reason = refusalWords(code, err.message, ref, current);
    return { kind: 'refused', scope, reason, requestTitle: current?.title ?? null, field };
  }

  get publicUrl(): string | undefined {
    return this.config.publicUrl;
  }
}
