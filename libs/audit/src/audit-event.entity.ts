import { Entity } from 'typeorm';
import { DateTimeColumn, IdColumn, IntColumn, JsonColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';

export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

/**
 * Append-only record of who did what. Written in the same transaction as the change it records.
 * Every event sits on a hash chain (`chain`, chainSeq, prevHash, hash): the events of one entity, or
 * for events without an entity one of a few chains per entity type. The newest event of every
 * chain is anchored in audit_checkpoints, so a rewritten, deleted or truncated event is detectable
 * (GET /audit-events/verify) without serialising writes to different entities.
 */
@Entity('audit_events')
export class AuditEvent {
  @IdColumn() id: string;
  @DateTimeColumn() occurredAt: Date;
  @UuidColumn({ nullable: true }) actorId: string | null;
  @VarcharColumn(254, { nullable: true }) actorEmail: string | null;
  @VarcharColumn(100) action: string;
  @VarcharColumn(60) entityType: string;
  @VarcharColumn(36, { nullable: true }) entityId: string | null;
  @VarcharColumn(128, { nullable: true }) requestId: string | null;
  @VarcharColumn(64, { nullable: true }) ip: string | null;
  @JsonColumn({ nullable: true }) changes: AuditChanges | null;
  @JsonColumn({ nullable: true }) metadata: Record<string, unknown> | null;
  /**
   * The API token the action was taken with (metadata.apiToken.id), copied into an indexed column to
   * filter on. Not a hash input of its own: the hashed metadata holds it, and verification checks the copy.
   */
  @UuidColumn({ nullable: true }) tokenId: string | null = null;
  /** The chain this event is on; null only for version 1 events without an entity (never chained). */
  @VarcharColumn(100, { nullable: true }) chain: string | null = null;
  @IntColumn({ nullable: true }) chainSeq: number | null;
  @VarcharColumn(64, { nullable: true }) prevHash: string | null;
  /** Which formula `hash` was computed with (audit-hash.ts); 1 for rows written before version 2. */
  @IntColumn() hashVersion: number = 2;
  @VarcharColumn(64) hash: string;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
