import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { PeopleDirectory } from '@stackgate/identity';
import { NotificationsService } from '@stackgate/notifications';
import { AuthUser, DomainError, hasRole, notFound, Role, uuidv7, withTransaction } from '@stackgate/platform';
import { ConditionItemDto } from '../requests/dto/request.dto';
import { READ_ALL } from '../requests/request-access';
import { RequestStatus } from '../requests/review-policy';
import { ToolRequest } from '../requests/tool-request.entity';
import { ProcurementError } from '../procurement.errors';
import { checkTransition, ConditionAction, conditionItemProblems, ConditionState, isPastDue, NEXT_STATE } from './condition-policy';
import { RequestCondition } from './request-condition.entity';

export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);

export interface ConditionQuery {
  requestId?: string;
  toolId?: string;
  ownerId?: string;
  state?: ConditionState;
  pastDue?: boolean;
}

/** A condition as the API and the pages show it: with the names of the people and the request it belongs to. */
export interface ConditionView {
  id: string;
  requestId: string;
  requestTitle: string;
  toolId: string | null;
  stage: string;
  round: number;
  position: number;
  text: string;
  ownerId: string;
  ownerName: string | null;
  dueDate: string;
  state: ConditionState;
  pastDue: boolean;
  createdById: string;
  createdByName: string | null;
  createdAt: Date;
  doneById: string | null;
  doneByName: string | null;
  doneAt: Date | null;
  verifiedById: string | null;
  verifiedByName: string | null;
  verifiedAt: Date | null;
  reopenedById: string | null;
  reopenedByName: string | null;
  reopenedAt: Date | null;
  reopenReason: string | null;
}

/** An approved tool with open conditions past their due date (the governance report's row). */
export interface ToolPastDueConditions {
  toolId: string;
  requestId: string;
  requestTitle: string;
  openPastDue: number;
  oldestDueDate: string;
}

const snapshot = (c: RequestCondition) => ({ text: c.text, ownerId: c.ownerId, dueDate: c.dueDate, state: c.state });

/**
 * Conditions of approvals as trackable items (table `request_conditions`): recorded with the
 * CIO's or finance's decision, moved open → done → verified through `transition`, read by the
 * request and tool pages, the owners' queues and, through `toolsWithConditionsPastDue`, reporting.
 */
@Injectable()
export class RequestConditionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly people: PeopleDirectory,
    private readonly notifications: NotificationsService,
  ) {}

  /** 400 with every field's problem, or 422 for an owner who is not an active user; nothing is written. */
  async validateItems(
    manager: EntityManager,
    input: { stage: string; decision: string; conditions?: string | null; items: ConditionItemDto[] },
    now = new Date(),
  ): Promise<void> {
    const problems = conditionItemProblems(input, todayUtc(now));
    if (Object.keys(problems).length) {
      const [field, message] = Object.entries(problems)[0];
      throw new ProcurementError('CONDITION_ITEMS_INVALID', message, { field, fields: problems });
    }
    const owners = await this.people.facts([...new Set(input.items.map((i) => i.ownerId))], manager);
    const bad = input.items.findIndex((i) => !owners.get(i.ownerId)?.active);
    if (bad >= 0)
      throw new ProcurementError('CONDITION_OWNER_UNKNOWN', 'The owner of a condition must be an active user', {
        field: `conditionItems.${bad}.ownerId`,
      });
  }

  /** Writes a decision's conditions (already validated) in the decision's transaction, each audited. */
  async record(
    manager: EntityManager,
    actor: AuthUser,
    request: ToolRequest,
    stage: string,
    items: ConditionItemDto[],
    now = new Date(),
  ): Promise<void> {
    if (!items.length) return;
    const rows = items.map((i, position) =>
      Object.assign(new RequestCondition(), {
        id: uuidv7(now.getTime()),
        requestId: request.id,
        stage,
        round: request.round,
        position,
        text: i.text.trim(),
        ownerId: i.ownerId,
        dueDate: i.dueDate,
        state: ConditionState.OPEN,
        createdById: actor.id,
        doneById: null,
        doneAt: null,
        verifiedById: null,
        verifiedAt: null,
        reopenedById: null,
        reopenedAt: null,
        reopenReason: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await manager.getRepository(RequestCondition).insert(rows);
    await this.audit.recordMany(
      manager,
      rows.map((c) => ({
        action: 'condition.created',
        entityType: 'RequestCondition',
        entityId: c.id,
        after: snapshot(c),
        metadata: { requestId: request.id, stage, round: request.round },
      })),
      { newEntities: true },
    );
  }

  /** The request was approved: each owner of an open condition of the round hears what they must do, and by when. */
  async notifyOwners(manager: EntityManager, request: ToolRequest, toolId: string | null): Promise<void> {
    const rows = await manager.getRepository(RequestCondition).find({
      where: { requestId: request.id, round: request.round, state: ConditionState.OPEN },
      order: { stage: 'ASC', position: 'ASC' },
    });
    const owners = await this.people.facts([...new Set(rows.map((c) => c.ownerId))], manager);
    for (const condition of rows) {
      const person = owners.get(condition.ownerId);
      if (!person?.active) continue;
      await this.notifications.enqueue(manager, {
        event: 'condition-assigned',
        recipients: [{ id: person.id, email: person.email }],
        entityType: 'RequestCondition',
        entityId: condition.id,
        link: `/requests/${request.id}#conditions`,
        dedupeKey: `condition-assigned:${condition.id}`,
        data: { title: request.title, text: condition.text, dueDate: condition.dueDate, requestId: request.id, toolId },
      });
    }
  }

  /** Moves a condition (done, verify, reopen) after the policy allows it; audited and notified in the same transaction. */
  async transition(
    actor: AuthUser,
    id: string,
    action: ConditionAction,
    reason?: string | null,
    note?: string | null,
  ): Promise<ConditionView> {
    try {
      await this.transitionInTransaction(actor, id, action, reason, note);
    } catch (err) {
      // A refusal (403) is audited after the rolled-back transaction, like every other refusal.
      if (err instanceof DomainError && err.status === 403) {
        await this.audit.record(undefined, {
          action: 'authz.denied',
          entityType: 'RequestCondition',
          entityId: id,
          metadata: { reason: err.code, action },
        });
      }
      throw err;
    }
    const [view] = await this.views(this.dataSource.manager, await this.dataSource.getRepository(RequestCondition).find({ where: { id } }));
    return view;
  }

  private async transitionInTransaction(
    actor: AuthUser,
    id: string,
    action: ConditionAction,
    reason?: string | null,
    note?: string | null,
  ): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      const condition = await manager.getRepository(RequestCondition).findOne({ where: { id } });
      if (!condition) throw notFound('Condition', id);
      const request = await manager.getRepository(ToolRequest).findOne({ where: { id: condition.requestId } });
      if (!request || !this.visible(actor, condition, request)) throw notFound('Condition', id);
      const refusal = checkTransition(action, {
        condition: condition,
        active: request.status === RequestStatus.APPROVED,
        actor: { id: actor.id, roles: actor.roles },
        reason,
      });
      if (refusal) throw new ProcurementError(refusal.code, refusal.message);
      const now = new Date();
      const to = NEXT_STATE[action];
      const set: Partial<RequestCondition> =
        action === 'done'
          ? { doneById: actor.id, doneAt: now }
          : action === 'verify'
            ? { verifiedById: actor.id, verifiedAt: now }
            : {
                reopenedById: actor.id,
                reopenedAt: now,
                reopenReason: reason!.trim(),
                doneById: null,
                doneAt: null,
                verifiedById: null,
                verifiedAt: null,
              };
      // Guarded on the state read: of two concurrent moves, one wins and the other is a 409.
      const res = await manager
        .createQueryBuilder()
        .update(RequestCondition)
        .set({ ...set, state: to, updatedAt: now })
        .where('id = :id AND state = :from', { id, from: condition.state })
        .execute();
      if (res.affected !== 1) throw new ProcurementError('CONDITION_STATE', 'The condition changed meanwhile; reload it');
      const action_ = action === 'done' ? 'condition.done' : action === 'verify' ? 'condition.verified' : 'condition.reopened';
      await this.audit.record(manager, {
        action: action_,
        entityType: 'RequestCondition',
        entityId: id,
        before: { state: condition.state },
        after: { state: to },
        metadata: {
          requestId: request.id,
          ...(action === 'reopen' ? { reason: reason!.trim() } : {}),
          ...(note?.trim() ? { note: note.trim() } : {}),
        },
      });
      const data = {
        title: request.title,
        text: condition.text,
        dueDate: condition.dueDate,
        requestId: request.id,
        reason: reason?.trim() ?? null,
        actorName: actor.displayName ?? null,
      };
      if (action === 'done') {
        const verifiers = (await this.people.activeWithRoles([Role.IT], manager)).filter((u) => u.id !== actor.id);
        await this.notifications.enqueue(manager, {
          event: 'condition-done',
          recipients: verifiers,
          entityType: 'RequestCondition',
          entityId: id,
          link: `/requests/${request.id}#conditions`,
          data,
        });
      } else if (action === 'reopen') {
        const owner = (await this.people.facts([condition.ownerId], manager)).get(condition.ownerId);
        if (owner?.active)
          await this.notifications.enqueue(manager, {
            event: 'condition-reopened',
            recipients: [{ id: owner.id, email: owner.email }],
            entityType: 'RequestCondition',
            entityId: id,
            link: `/requests/${request.id}#conditions`,
            data,
          });
      }
    });
  }

  private visible(actor: AuthUser, condition: RequestCondition, request: ToolRequest): boolean {
    return hasRole(actor, ...READ_ALL) || condition.ownerId === actor.id || request.requesterId === actor.id;
  }

  /** Conditions the actor may see, filtered; ordered by due date (past due first), then request and position. */
  async list(actor: AuthUser, conditionQuery: ConditionQuery, now = new Date()): Promise<ConditionView[]> {
    const qb = this.dataSource.getRepository(RequestCondition).createQueryBuilder('c').innerJoin(ToolRequest, 'r', 'r.id = c.requestId');
    if (!hasRole(actor, ...READ_ALL)) qb.andWhere('(c.ownerId = :me OR r.requesterId = :me)', { me: actor.id });
    if (conditionQuery.requestId) qb.andWhere('c.requestId = :requestId', { requestId: conditionQuery.requestId });
    if (conditionQuery.toolId)
      qb.andWhere('r.toolId = :toolId AND r.status = :approved', { toolId: conditionQuery.toolId, approved: RequestStatus.APPROVED });
    if (conditionQuery.ownerId)
      qb.andWhere('c.ownerId = :ownerId AND r.status = :approved', { ownerId: conditionQuery.ownerId, approved: RequestStatus.APPROVED });
    if (conditionQuery.state) qb.andWhere('c.state = :state', { state: conditionQuery.state });
    if (conditionQuery.pastDue)
      qb.andWhere('c.state = :open AND c.dueDate < :today AND r.status = :approved', {
        open: ConditionState.OPEN,
        today: todayUtc(now),
        approved: RequestStatus.APPROVED,
      });
    const rows = await qb
      .orderBy('c.dueDate', 'ASC')
      .addOrderBy('c.requestId', 'ASC')
      .addOrderBy('c.round', 'ASC')
      .addOrderBy('c.position', 'ASC')
      .take(500)
      .getMany();
    return this.views(this.dataSource.manager, rows, now);
  }

  /** A request's conditions (every round), for its page and the API. */
  async forRequest(requestId: string, manager: EntityManager = this.dataSource.manager): Promise<ConditionView[]> {
    const rows = await manager
      .getRepository(RequestCondition)
      .find({ where: { requestId }, order: { round: 'ASC', stage: 'ASC', position: 'ASC' } });
    return this.views(manager, rows);
  }

  /** Conditions of the approval that brought a tool into the catalog (for the tool page). */
  async forTool(toolId: string): Promise<ConditionView[]> {
    const requests = await this.dataSource
      .getRepository(ToolRequest)
      .find({ where: { toolId, status: RequestStatus.APPROVED }, select: { id: true } });
    if (!requests.length) return [];
    const rows = await this.dataSource
      .getRepository(RequestCondition)
      .find({ where: { requestId: In(requests.map((r) => r.id)) }, order: { dueDate: 'ASC', position: 'ASC' } });
    return this.views(this.dataSource.manager, rows);
  }

  /**
   * The exported query behind the governance row "approved tools with open conditions past due":
   * per tool of an approved request, how many of its conditions are open after their due date,
   * and the oldest such due date. Oldest first.
   */
  async toolsWithConditionsPastDue(today = todayUtc(), manager: EntityManager = this.dataSource.manager): Promise<ToolPastDueConditions[]> {
    const rows = await manager
      .getRepository(RequestCondition)
      .createQueryBuilder('c')
      .innerJoin(ToolRequest, 'r', 'r.id = c.requestId')
      .select('r.toolId', 'toolId')
      .addSelect('r.id', 'requestId')
      .addSelect('r.title', 'requestTitle')
      .addSelect('COUNT(*)', 'openPastDue')
      .addSelect('MIN(c.dueDate)', 'oldestDueDate')
      .where('r.status = :approved AND r.toolId IS NOT NULL AND c.state = :open AND c.dueDate < :today', {
        approved: RequestStatus.APPROVED,
        open: ConditionState.OPEN,
        today,
      })
      .groupBy('r.toolId')
      .addGroupBy('r.id')
      .addGroupBy('r.title')
      .orderBy('MIN(c.dueDate)', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getRawMany<{
        toolId: string;
        requestId: string;
        requestTitle: string;
        openPastDue: string | number;
        oldestDueDate: string | Date;
      }>();
    return rows.map((x) => ({
      toolId: x.toolId,
      requestId: x.requestId,
      requestTitle: x.requestTitle,
      openPastDue: Number(x.openPastDue),
      oldestDueDate: x.oldestDueDate instanceof Date ? x.oldestDueDate.toISOString().slice(0, 10) : String(x.oldestDueDate).slice(0, 10),
    }));
  }

  /** Open conditions of approved requests that are due within `days` days or past due (the reminder job's input). */
  async openForReminders(manager: EntityManager, until: string): Promise<Array<RequestCondition & { requestTitle: string }>> {
    const rows = await manager
      .getRepository(RequestCondition)
      .createQueryBuilder('c')
      .innerJoin(ToolRequest, 'r', 'r.id = c.requestId')
      .addSelect('r.title', 'requestTitle')
      .where('r.status = :approved AND c.state = :open AND c.dueDate <= :until', {
        approved: RequestStatus.APPROVED,
        open: ConditionState.OPEN,
        until,
      })
      .orderBy('c.dueDate', 'ASC')
      .getRawAndEntities();
    return rows.entities.map((e, i) => Object.assign(e, { requestTitle: String((rows.raw[i] as Record<string, unknown>).requestTitle) }));
  }

  private async views(manager: EntityManager, rows: RequestCondition[], now = new Date()): Promise<ConditionView[]> {
    if (!rows.length) return [];
    const requests = await manager.getRepository(ToolRequest).find({
      where: { id: In([...new Set(rows.map((c) => c.requestId))]) },
      select: { id: true, title: true, toolId: true, status: true },
    });
    const byId = new Map(requests.map((r) => [r.id, r]));
    const ids = new Set<string>();
    for (const condition of rows)
      for (const userId of [condition.ownerId, condition.createdById, condition.doneById, condition.verifiedById, condition.reopenedById])
        if (userId) ids.add(userId);
    const names = await this.people.displayNames([...ids]);
    const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
    const today = todayUtc(now);
    return rows.map((condition) => {
      const request = byId.get(condition.requestId);
      return {
        id: condition.id,
        requestId: condition.requestId,
        requestTitle: request?.title ?? '',
        toolId: request?.status === RequestStatus.APPROVED ? request.toolId : null,
        stage: condition.stage,
        round: condition.round,
        position: condition.position,
        text: condition.text,
        ownerId: condition.ownerId,
        ownerName: name(condition.ownerId),
        dueDate: condition.dueDate,
        state: condition.state,
        pastDue: request?.status === RequestStatus.APPROVED && isPastDue(condition, today),
        createdById: condition.createdById,
        createdByName: name(condition.createdById),
        createdAt: condition.createdAt,
        doneById: condition.doneById,
        doneByName: name(condition.doneById),
        doneAt: condition.doneAt,
        verifiedById: condition.verifiedById,
        verifiedByName: name(condition.verifiedById),
        verifiedAt: condition.verifiedAt,
        reopenedById: condition.reopenedById,
        reopenedByName: name(condition.reopenedById),
        reopenedAt: condition.reopenedAt,
        reopenReason: condition.reopenReason,
      };
    });
  }
}
