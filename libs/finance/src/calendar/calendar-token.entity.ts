import { Entity } from 'typeorm';
import { DateTimeColumn, IdColumn, VarcharColumn } from '@stackgate/platform';

/** A person's secret renewals-calendar link: only the SHA-256 of the token is kept; one per person (rotating replaces it). */
@Entity('calendar_tokens')
export class CalendarToken {
  @IdColumn() userId: string;
  @VarcharColumn(64) tokenHash: string;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn({ nullable: true }) lastUsedAt: Date | null;
}
