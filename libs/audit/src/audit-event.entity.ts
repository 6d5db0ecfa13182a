import { Entity } from 'typeorm';
import { DateTimeColumn, IdColumn, IntColumn, JsonColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';

export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

/**
 * Append-only record of who did what. Written in the same transaction as the change it records.
 * Events about one entity form a hash chain (chainSeq, prevHash, hash), so a rewritten or deleted
 * event is detectable without serialising writes to different entities.
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
  @VarcharColumn(100, { nullable: true }) requestId: string | null;
  @VarcharColumn(64, { nullable: true }) ip: string | null;
  @JsonColumn({ nullable: true }) changes: AuditChanges | null;
  @JsonColumn({ nullable: true }) metadata: Record<string, unknown> | null;
  @IntColumn({ nullable: true }) chainSeq: number | null;
  @VarcharColumn(64, { nullable: true }) prevHash: string | null;
  @VarcharColumn(64) hash: string;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
