import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { insertRows, RequestContext, requestContext, uuidv7 } from '@stackgate/platform';
import { AuditChanges, AuditEvent } from './audit-event.entity';

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
  /** The request's context when the caller has it (a read, which runs outside the async one). */
  context?: RequestContext;
}

/** Fields that never enter the audit trail, whatever the caller passes. */
const REDACTED = new Set(['passwordHash', 'password', 'tokenVersion']);

/** A value as the audit trail stores it (bigint and Date as strings, undefined as null). */
export function normalize(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

/**
 * JSON.stringify(b) === JSON.stringify(a) for normalized values, without serializing when that
 * cannot change the answer: equal values are equal, and two unequal strings, booleans or nulls
 * never serialize alike (numbers can: NaN and null both become null).
 */
function sameJson(b: unknown, a: unknown): boolean {
  if (b === a) return true;
  if ((b === null || typeof b === 'string' || typeof b === 'boolean') && (a === null || typeof a === 'string' || typeof a === 'boolean')) return false;
  return JSON.stringify(b) === JSON.stringify(a);
}

/** The changed fields between two snapshots (all fields of one side when the other is missing). */
export function diffFields(before?: Record<string, unknown> | null, after?: Record<string, unknown> | null): AuditChanges | null {
  if (!before && !after) return null;
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: AuditChanges = {};
  for (const k of keys) {
    if (REDACTED.has(k) || k === 'updatedAt' || k === 'createdAt') continue;
    const b = before ? normalize(before[k]) : null;
    const a = after ? normalize(after[k]) : null;
    if (!sameJson(b, a)) changes[k] = { before: b, after: a };
  }
  return Object.keys(changes).length ? changes : null;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends an event. Pass the transaction's manager so the event commits or rolls back with the
   * change it records; without one it is written on its own (logins, refusals).
   */
  async record(manager: EntityManager | undefined, input: AuditInput): Promise<AuditEvent> {
    if (!manager) return this.dataSource.transaction((m) => this.record(m, input));
    const m = manager;
    const ctx = input.context ?? requestContext();
    const now = new Date();
    const entityId = input.entityId ?? null;
    let chainSeq: number | null = null;
    let prevHash: string | null = null;
    if (entityId) {
      const prev = await m.getRepository(AuditEvent).findOne({
        where: { entityType: input.entityType, entityId },
        order: { chainSeq: 'DESC' },
        select: { chainSeq: true, hash: true },
      });
      chainSeq = (prev?.chainSeq ?? 0) + 1;
      prevHash = prev?.hash ?? null;
    }
    const event = buildEvent(input, ctx, now, chainSeq, prevHash);
    await m.getRepository(AuditEvent).insert(event as never);
    return event;
  }

  /**
   * Appends many events in the caller's transaction (bulk imports): the same events and hash
   * chains as calling record() for each in order, with one chain-head lookup per 500 entities (none
   * with newEntities: every entity was created in this transaction) and multi-row inserts instead of
   * two statements per event.
   */
  async recordMany(manager: EntityManager, inputs: AuditInput[], opts: { newEntities?: boolean } = {}): Promise<void> {
    await this.insertPrepared(manager, await this.prepareMany(manager, inputs, opts));
  }

  /**
   * The events recordMany would write, built and hashed but not inserted (so a caller can build
   * them while its own rows are being inserted). With newEntities (every entity was created in the
   * caller's transaction, with fresh ids) there is no chain head to look up. Yields to the event
   * loop before every 500 events, so statements already sent keep flowing meanwhile.
   */
  async prepareMany(manager: EntityManager, inputs: AuditInput[], opts: { newEntities?: boolean } = {}): Promise<AuditEvent[]> {
    if (!inputs.length) return [];
    const ctx = requestContext();
    const heads = new Map<string, { chainSeq: number; hash: string }>();
    const idsByType = new Map<string, Set<string>>();
    if (!opts.newEntities) for (const i of inputs) if (i.entityId) (idsByType.get(i.entityType) ?? idsByType.set(i.entityType, new Set()).get(i.entityType)!).add(i.entityId);
    for (const [entityType, set] of idsByType) {
      const ids = [...set];
      for (let k = 0; k < ids.length; k += 500) {
        const rows = await manager.getRepository(AuditEvent).find({
          where: { entityType, entityId: In(ids.slice(k, k + 500)) }, select: { entityId: true, chainSeq: true, hash: true },
        });
        for (const r of rows) {
          const key = `${entityType}|${r.entityId}`;
          const cur = heads.get(key);
          if (r.chainSeq !== null && (!cur || r.chainSeq > cur.chainSeq)) heads.set(key, { chainSeq: r.chainSeq, hash: r.hash });
        }
      }
    }
    const events: AuditEvent[] = [];
    for (const [n, input] of inputs.entries()) {
      // Yields first too: statements a caller queued just before (its own rows) go out before hashing starts.
      if (n % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
      const now = new Date();
      const entityId = input.entityId ?? null;
      const key = `${input.entityType}|${entityId}`;
      const head = entityId ? heads.get(key) : undefined;
      const event = buildEvent(input, ctx, now, entityId ? (head?.chainSeq ?? 0) + 1 : null, entityId ? head?.hash ?? null : null);
      if (entityId) heads.set(key, { chainSeq: event.chainSeq!, hash: event.hash });
      events.push(event);
    }
    return events;
  }

  /** Inserts events from prepareMany in the caller's transaction (multi-row INSERTs). */
  async insertPrepared(manager: EntityManager, events: AuditEvent[]): Promise<void> {
    await insertRows(manager, AuditEvent, events);
  }
}

/** One event, hashed onto its entity's chain (chainSeq/prevHash null for events without an entity). */
function buildEvent(input: AuditInput, ctx: ReturnType<typeof requestContext>, now: Date, chainSeq: number | null, prevHash: string | null): AuditEvent {
  const event: AuditEvent = Object.assign(new AuditEvent(), {
    id: uuidv7(now.getTime()),
    occurredAt: now,
    actorId: input.actor ? input.actor.id : ctx?.actor?.id ?? null,
    actorEmail: input.actor ? input.actor.email ?? null : ctx?.actor?.email ?? null,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    requestId: ctx?.requestId ?? null,
    ip: ctx?.ip ?? null,
    changes: diffFields(input.before, input.after),
    metadata: input.metadata ? (normalize(input.metadata) as Record<string, unknown>) : null,
    chainSeq,
    prevHash,
    createdAt: now,
    updatedAt: now,
  });
  event.hash = hashEvent(event);
  return event;
}

/** SHA-256 over the event's content and the previous hash of its entity's chain. */
export function hashEvent(e: AuditEvent): string {
  const content = JSON.stringify([
    e.id, e.occurredAt.toISOString(), e.actorId, e.action, e.entityType, e.entityId, e.requestId, e.ip,
    e.changes, e.metadata, e.chainSeq, e.prevHash,
  ]);
  return createHash('sha256').update(content).digest('hex');
}
