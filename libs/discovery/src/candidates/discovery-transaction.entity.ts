import { Entity } from 'typeorm';
import { BigIntColumn, DateColumn, DateTimeColumn, IdColumn, IntColumn, TextColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';
import { MatchKind } from '../discovery.enums';

/**
 * One imported card, expense or payable line, kept so that importing the same file again (or an
 * overlapping one) changes nothing: `txKey` is unique. A matched line points at its tool and the
 * spend entry it became; an unmatched one at its candidate (and, once the candidate is registered
 * or linked, also at the tool and spend entry it moved to).
 */
@Entity('discovery_transactions')
export class DiscoveryTransaction {
  @IdColumn() id: string;
  /** "ref:<reference>" or "row:<hash of date, merchant, amount, currency, employee>:<occurrence in the file>". */
  @VarcharColumn(200) txKey: string;
  /** txKey without the occurrence (how a re-import finds the lines it already holds). */
  @VarcharColumn(200) baseKey: string;
  @DateColumn() date: string;
  /** yyyymm of `date`. */
  @IntColumn() month: number;
  @VarcharColumn(200) merchantRaw: string;
  @VarcharColumn(120) merchantKey: string;
  @BigIntColumn() amountMinor: bigint;
  @VarcharColumn(3) currency: string;
  /** The amount in the base currency at the FX rate of its month (or the latest before). */
  @BigIntColumn() baseAmountMinor: bigint;
  @VarcharColumn(200, { nullable: true }) employee: string | null;
  @UuidColumn({ nullable: true }) costCenterId: string | null;
  @TextColumn({ nullable: true }) memo: string | null;
  @VarcharColumn(180, { nullable: true }) reference: string | null;
  @UuidColumn({ nullable: true }) candidateId: string | null;
  @UuidColumn({ nullable: true }) toolId: string | null;
  @UuidColumn({ nullable: true }) spendEntryId: string | null;
  @VarcharColumn(20, { nullable: true }) matchKind: MatchKind | null;
  @DateTimeColumn() createdAt: Date;
}
