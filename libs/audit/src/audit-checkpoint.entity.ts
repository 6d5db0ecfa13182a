import { Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IntColumn, VarcharColumn } from '@stackgate/platform';

/**
 * The head of one audit chain: its newest event's sequence number, hash and id, moved in the same
 * transaction as every event appended to the chain. Deleting the newest events of a chain (or all
 * of them) leaves the head pointing past what remains, which verification reports. One row per
 * chain, so writers to different entities never touch the same row.
 *
 * The row named LEGACY_CHECKPOINT anchors the events hashed with version 1 instead: headSeq is
 * their count, headEventId the newest of their ids and headHash the digest of their hashes.
 */
@Entity('audit_checkpoints')
export class AuditCheckpoint {
  @PrimaryColumn({ type: 'varchar', length: 100 }) chain: string;
  @IntColumn() headSeq: number;
  @VarcharColumn(64) headHash: string;
  @VarcharColumn(36, { nullable: true }) headEventId: string | null;
  @DateTimeColumn() updatedAt: Date;
}
