import { Entity, Index } from 'typeorm';
import { BigIntColumn, DateColumn, DateTimeColumn, IdColumn, IntColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';
import { IdpSource } from './idp-presets';

/**
 * A tool's licence utilisation in one month, from the identity provider: seats (the tool's licensed seats, else its
 * running license contracts'), users assigned and active, and the unused seats valued at the contracts' per-seat price
 * (annual, in the base currency). One row per tool and month: a later import of the same month replaces it.
 */
@Entity('tool_utilisation')
@Index('UQ_tool_utilisation_tool_month', ['toolId', 'month'], { unique: true })
export class ToolUtilisation {
  @IdColumn() id: string;
  @UuidColumn() toolId: string;
  /** YYYY-MM of `asOf`. */
  @VarcharColumn(7) month: string;
  @VarcharColumn(10) source: IdpSource;
  @IntColumn({ nullable: true }) seats: number | null;
  @IntColumn() assignedUsers: number;
  @IntColumn() activeUsers30: number;
  @IntColumn() activeUsers90: number;
  @IntColumn({ nullable: true }) unusedSeats: number | null;
  /** Annual license value ÷ contract seats, rounded half up; null without a running license contract with seats. */
  @BigIntColumn({ nullable: true }) perSeatMinor: bigint | null;
  /** What the unused seats cost a year (exact fraction, rounded half up once). */
  @BigIntColumn({ nullable: true }) unusedValueMinor: bigint | null;
  @VarcharColumn(3) currency: string;
  @DateColumn() asOf: string;
  @DateTimeColumn() importedAt: Date;
}
