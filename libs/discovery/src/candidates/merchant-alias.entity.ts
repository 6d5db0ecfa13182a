import { Entity } from 'typeorm';
import { DateTimeColumn, IdColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';

/** A merchant key learned as another name of a tool (a candidate registered or linked): matched first on every later import. */
@Entity('merchant_aliases')
export class MerchantAlias {
  @IdColumn() id: string;
  @VarcharColumn(120) merchantKey: string;
  @UuidColumn() toolId: string;
  /** The candidate whose action taught it (reopening that candidate forgets it). */
  @UuidColumn({ nullable: true }) candidateId: string | null;
  @UuidColumn({ nullable: true }) createdById: string | null;
  @DateTimeColumn() createdAt: Date;
}
