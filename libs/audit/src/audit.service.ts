import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import { insertable, insertRows, RequestContext, requestContext, uuidv7, withTransaction } from '@stackgate/platform';
import { AuditCheckpoint } from './audit-checkpoint.entity';
import { AuditChanges, AuditEvent } from './audit-event.entity';
import { chainFor, CURRENT_HASH_VERSION, hashEventV2, tokenIdOf } from './audit-hash';
import { AuditListeners } from './audit-listeners';
import { AuditTrailVerifier, AuditVerification } from './audit-verifier';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  /** The record before and after the change; only changed fields are stored. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  metadata?: Record<string, unknown>;
  /** Overrides the actor taken from the request context (e.g. a login before authentication). */
  actor?: { id: string | null; email?: string | null };
}

/** One event of a record's history, as other libs show it (no hash-chain fields, no request id or address). */
export interface AuditHistoryEntry {
  id: string;
  occurredAt: Date;
  action: string;
  actorId: string | null;
  actorEmail: string | null;
  changes: AuditChanges | null;
  metadata: Record<string, unknown> | null;
}

/** Fields that never enter the audit trail, whatever the caller passes. */
const REDACTED = new Set(['passwordHash', 'password', 'tokenVersion']);

/** A value as the audit trail stores it (bigint and Date as strings, undefined as null). */
export function normalize(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, normalize(x)]));
  return value;
}

/**
 * JSON.stringify(before) === JSON.stringify(after) for normalized values, without serializing when that
 * cannot change the answer: equal values are equal, and two unequal strings, booleans or nulls
 * never serialize alike (numbers can: NaN and null both become null).
 */
function sameJson(before: unknown, after: unknown): boolean {
  if (before === after) return true;
  const scalar = (value: unknown) => value === null || typeof value === 'string' || typeof value === 'boolean';
  if (scalar(before) && scalar(after)) return false;
  return JSON.stringify(before) === JSON.stringify(after);
}

/** The changed fields between two snapshots (all fields of one side when the other is missing). */
export function diffFields(before?: Record<string, unknown> | null, after?: Record<string, unknown> | null): AuditChanges | null {
  if (!before && !after) return null;
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: AuditChanges = {};
  for (const key of keys) {
    if (REDACTED.has(key) || key === 'updatedAt' || key === 'createdAt') continue;
    const oldValue = before ? normalize(before[key]) : null;
    const newValue = after ? normalize(after[key]) : null;
    if (!sameJson(oldValue, newValue)) changes[key] = { before: oldValue, after: newValue };
  }
  return Object.keys(changes).length ? changes : null;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly listeners: AuditListeners,
  ) {}

  /**
   * Appends an event. Pass the transaction's manager so the event commits or rolls back with the
   * change it records; without one it is written on its own (logins, refusals).
   *
   * The event continues its chain from the chain's checkpoint and moves the checkpoint in the same
   * transaction. On MySQL/MariaDB the checkpoint is read with a row lock, so writers to one chain
   * (many comments on one request, refusals) queue on it instead of failing and starting over; on
   * SQLite writers run one at a time anyway. A chain's first event has no checkpoint row to lock:
   * two of them collide on the unique (chain, chainSeq) index, and the loser's transaction is run
   * again (withTransaction, database/transactions.ts), as are Galera's conflicts between nodes.
   * Writers to different chains touch different rows and never wait on each other.
   */
  async record(manager: EntityManager | undefined, input: AuditInput): Promise<AuditEvent> {
    if (!manager) return withTransaction(this.dataSource, (m) => this.record(m, input));
    const ctx = requestContext();
    const chain = chainFor(input.entityType, input.entityId ?? null);
    const locking = manager.connection.options.type !== 'better-sqlite3';
    const head = await manager
      .getRepository(AuditCheckpoint)
      .findOne({ where: { chain }, ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    const now = new Date();
    const event = buildEvent(input, ctx, now, chain, head);
    await manager.getRepository(AuditEvent).insert(insertable(event));
    await moveHeads(manager, [{ from: head?.headSeq ?? 0, to: event }]);
    await this.listeners.notify(manager, [event]);
    return event;
  }

  /**
   * Appends many events in the caller's transaction (bulk imports): the same events and hash
   * chains as calling record() for each in order, with one chain-head lookup per 500 chains (none
   * with newEntities: every entity was created in this transaction) and multi-row inserts instead of
   * three statements per event.
   */
  async recordMany(manager: EntityManager, inputs: AuditInput[], opts: { newEntities?: boolean } = {}): Promise<void> {
    await this.insertPrepared(manager, await this.prepareMany(manager, inputs, opts));
  }

  /**
   * The events recordMany would write, built and hashed but not inserted (so a caller can build
   * them while its own rows are being inserted). With newEntities (every entity was created in the
   * caller's transaction, with fresh ids) only the chains of events without an entity are looked up. Yields to the event
   * loop before every 500 events, so statements already sent keep flowing meanwhile.
   */
  async prepareMany(manager: EntityManager, inputs: AuditInput[], opts: { newEntities?: boolean } = {}): Promise<AuditEvent[]> {
    if (!inputs.length) return [];
    const ctx = requestContext();
    const chains = inputs.map((i) => chainFor(i.entityType, i.entityId ?? null));
    const heads = new Map<string, Pick<AuditCheckpoint, 'headSeq' | 'headHash'>>();
    // New entities have no chain yet; events without an entity join existing shared chains either way.
    const wanted = [...new Set(chains.filter((c, n) => !opts.newEntities || !inputs[n].entityId))];
    for (let start = 0; start < wanted.length; start += 500) {
      const rows = await manager.getRepository(AuditCheckpoint).find({ where: { chain: In(wanted.slice(start, start + 500)) } });
      for (const row of rows) heads.set(row.chain, row);
    }
    const events: AuditEvent[] = [];
    for (const [index, input] of inputs.entries()) {
      // Yields first too: statements a caller queued just before (its own rows) go out before hashing starts.
      if (index % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
      const event = buildEvent(input, ctx, new Date(), chains[index], heads.get(chains[index]));
      heads.set(chains[index], { headSeq: event.chainSeq!, headHash: event.hash });
      events.push(event);
    }
    return events;
  }

  /** Inserts events from prepareMany in the caller's transaction (multi-row INSERTs) and moves their chains' heads. */
  async insertPrepared(manager: EntityManager, events: AuditEvent[]): Promise<void> {
    await insertRows(manager, AuditEvent, events);
    const moves = new Map<string, { from: number; to: AuditEvent }>();
    for (const event of events) {
      const move = moves.get(event.chain!);
      if (move) move.to = event;
      else moves.set(event.chain!, { from: event.chainSeq! - 1, to: event });
    }
    await moveHeads(manager, [...moves.values()]);
    await this.listeners.notify(manager, events);
  }

  /**
   * One record's events, newest first (by its chain's order), a page at a time, with the total: a
   * record's history page (e.g. a tool's). Events are only ever read here, never changed.
   */
  async entityHistory(
    entityType: string,
    entityId: string,
    page: { skip: number; take: number },
  ): Promise<{ items: AuditHistoryEntry[]; total: number }> {
    const [rows, total] = await this.dataSource.getRepository(AuditEvent).findAndCount({
      where: { entityType, entityId },
      order: { chainSeq: 'DESC' },
      skip: page.skip,
      take: page.take,
    });
    return {
      items: rows.map((e) => ({
        id: e.id,
        occurredAt: e.occurredAt,
        action: e.action,
        actorId: e.actorId,
        actorEmail: e.actorEmail,
        changes: e.changes,
        metadata: e.metadata,
      })),
      total,
    };
  }

  /**
   * Checks the whole trail (AuditTrailVerifier) in one read transaction, so that it sees one
   * consistent state while events keep being written; reads it in pages of 1,000.
   */
  async verify(): Promise<AuditVerification> {
    return withTransaction(this.dataSource, async (manager) => {
      const verifier = new AuditTrailVerifier(await manager.getRepository(AuditCheckpoint).find());
      const events = manager.getRepository(AuditEvent);
      let after: AuditEvent | undefined;
      for (;;) {
        const qb = events.createQueryBuilder('e').where('e.chain IS NOT NULL');
        if (after) {
          const { chain, chainSeq } = after;
          qb.andWhere(
            new Brackets((w) =>
              w.where('e.chain > :chain', { chain }).orWhere('e.chain = :chain AND e.chainSeq > :chainSeq', { chain, chainSeq }),
            ),
          );
        }
        const page = await qb.orderBy('e.chain', 'ASC').addOrderBy('e.chainSeq', 'ASC').take(1000).getMany();
        for (const event of page) verifier.chained(event);
        if (page.length < 1000) break;
        after = page[page.length - 1];
      }
      let lastId = '';
      for (;;) {
        const page = await events
          .createQueryBuilder('e')
          .where('e.chain IS NULL')
          .andWhere('e.id > :lastId', { lastId })
          .orderBy('e.id', 'ASC')
          .take(1000)
          .getMany();
        for (const event of page) verifier.unchained(event);
        if (page.length < 1000) break;
        lastId = page[page.length - 1].id;
      }
      return verifier.finish();
    });
  }
}

/**
 * Moves each chain's checkpoint from the head an event was appended to (`from`, 0 for a new chain)
 * to that event. A new chain's checkpoint is inserted; an existing one is updated only if it is
 * still at `from` (an UPDATE by primary key: no gap locks, so concurrent new chains don't deadlock).
 */
async function moveHeads(manager: EntityManager, moves: { from: number; to: AuditEvent }[]): Promise<void> {
  const row = (e: AuditEvent) =>
    Object.assign(new AuditCheckpoint(), {
      chain: e.chain!,
      headSeq: e.chainSeq!,
      headHash: e.hash,
      headEventId: e.id,
      updatedAt: e.occurredAt,
    });
  const created = moves.filter((mv) => mv.from === 0).map((mv) => row(mv.to));
  if (created.length === 1) await manager.getRepository(AuditCheckpoint).insert(created[0]);
  else await insertRows(manager, AuditCheckpoint, created);
  for (const mv of moves) {
    if (mv.from === 0) continue;
    const { chain, ...head } = row(mv.to);
    const res = await manager
      .getRepository(AuditCheckpoint)
      .createQueryBuilder()
      .update()
      .set(head)
      .where('chain = :chain AND headSeq = :from', { chain, from: mv.from })
      .execute();
    if (res.affected !== 1)
      throw new Error(
        `The checkpoint of audit chain ${chain} is not at #${mv.from}: the trail was changed outside the app (GET /api/v1/audit-events/verify)`,
      );
  }
}

/** One event, hashed onto its chain after `head` (the chain's checkpoint; none for a new chain). */
/**
 * The event's metadata; an action taken with an API token also names the token (`apiToken`: id,
 * kind, name and the principal it acts as), and one taken from a chat app names it (`via`, e.g. 'slack'),
 * unless the caller names another actor than the request's.
 */
function eventMetadata(input: AuditInput, ctx: RequestContext | undefined): Record<string, unknown> | null {
  const own = !input.actor || input.actor.id === ctx?.actor?.id;
  const token = own ? ctx?.actor?.token : undefined;
  const via = own ? ctx?.via : undefined;
  if (!input.metadata && !token && !via) return null;
  return normalize({ ...input.metadata, ...(token ? { apiToken: token } : {}), ...(via ? { via } : {}) }) as Record<string, unknown>;
}

function buildEvent(
  input: AuditInput,
  ctx: RequestContext | undefined,
  now: Date,
  chain: string,
  head: Pick<AuditCheckpoint, 'headSeq' | 'headHash'> | null | undefined,
): AuditEvent {
  const event: AuditEvent = Object.assign(new AuditEvent(), {
    id: uuidv7(now.getTime()),
    occurredAt: now,
    actorId: input.actor ? input.actor.id : (ctx?.actor?.id ?? null),
    actorEmail: input.actor ? (input.actor.email ?? null) : (ctx?.actor?.email ?? null),
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    requestId: ctx?.requestId ?? null,
    ip: ctx?.ip ?? null,
    changes: diffFields(input.before, input.after),
    metadata: eventMetadata(input, ctx),
    chain,
    chainSeq: (head?.headSeq ?? 0) + 1,
    prevHash: head?.headHash ?? null,
    hashVersion: CURRENT_HASH_VERSION,
    createdAt: now,
    updatedAt: now,
  });
  event.tokenId = tokenIdOf(event.metadata);
  event.hash = hashEventV2(event);
  return event;
}
