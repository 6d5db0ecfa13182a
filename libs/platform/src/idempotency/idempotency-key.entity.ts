import { Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, UuidColumn, VarcharColumn } from '../database/columns';

/**
 * One row per one-time key a client sent with a request that creates something (the web UI's
 * create forms): who sent it, for which action, and where the created record lives once it exists.
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ type: 'varchar', length: 64 }) idemKey: string;
  @UuidColumn() userId: string;
  @VarcharColumn(100) action: string;
  /** Where the created record is shown; null while the first request is still being handled. */
  @VarcharColumn(500, { nullable: true }) location: string | null;
  @DateTimeColumn() createdAt: Date;
}
