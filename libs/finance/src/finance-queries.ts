import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, LessThanOrEqual } from 'typeorm';
import { eachRow, sqlBigInt, sqlBool } from '@stackgate/platform';
import { Budget } from './budgets/budget.entity';
import { Contract } from './contracts/contract.entity';
import { ContractStatus, CostType, LedgerBasis } from './finance.enums';
import { loadRates } from './fx/fx-lookup';
import { FxRate } from './fx/fx-rate.entity';
import { monthToString } from './contracts/contract-terms';
import { TotalsGrain } from './ledger/ledger-totals';
import { ledgerGenerationsOf } from './ledger/ledger-generations';

/*
 * Read-only finance figures for other libs (the reports): the ledger summed in SQL, keyed by ids
 * (tool, vendor, category, subcategory, cost center), month, currency, cost-center kind, cost type
 * and shadow-IT flag; FX rates; contracts and budgets as plain typed rows. No entity leaves the
 * lib: the caller joins names and attributes from the owning libs (catalog, identity) in memory.
 * Every method reads with `manager` when given (to share the caller's transaction), else outside one.
 */

/** A ledger column a spend sum can be keyed by (beside month, currency, kind, cost type and shadow IT). */
export type LedgerSumKey = 'costCenterKind' | 'costCenterId' | 'categoryId' | 'subcategoryId' | 'toolId' | 'vendorId' | 'costType';

/** One ledger sum: `key` is the value of the requested key column (null when none was asked for). */
export interface LedgerSum {
  key: string | null;
  currency: string;
  /** yyyymm. */
  month: number;
  /** The cost-center kind (MARKETING, IT, OTHER). */
  kind: string;
  costType: string;
  shadowIt: boolean;
  amountMinor: bigint;
}

/** A contract as the renewal and seat reports read it. */
export interface ContractFacts {
  id: string;
  reference: string | null;
  toolId: string;
  vendorId: string;
  startDate: string;
  endDate: string;
  cancelByDate: string;
  reviewStartDate: string;
  annualValueMinor: bigint;
  currency: string;
  autoRenew: boolean;
  seats: number | null;
}

export interface BudgetAmount {
  costCenterId: string;
  amountMinor: bigint;
}

/** The ledger_totals grain that holds the sums keyed by a column. */
const GRAIN_OF_KEY: Record<LedgerSumKey, TotalsGrain> = {
  costCenterKind: 'COST_CENTER',
  costCenterId: 'COST_CENTER',
  costType: 'COST_CENTER',
  categoryId: 'CATEGORY',
  subcategoryId: 'SUBCATEGORY',
  toolId: 'TOOL',
  vendorId: 'TOOL',
};

const contractFacts = (c: Contract): ContractFacts => ({
  id: c.id,
  reference: c.reference,
  toolId: c.toolId,
  vendorId: c.vendorId,
  startDate: c.startDate,
  endDate: c.endDate,
  cancelByDate: c.cancelByDate,
  reviewStartDate: c.reviewStartDate,
  annualValueMinor: c.annualValueMinor,
  currency: c.currency,
  autoRenew: c.autoRenew,
  seats: c.seats,
});

/** What FinanceQueries.spendSums and eachSpendSum sum: the ledger of `bases`, months from..to (yyyymm), keyed by `key` (or none). */
export interface SpendSumsQuery {
  key: LedgerSumKey | null;
  bases: LedgerBasis[];
  from: number;
  to: number;
}

/** The statement of FinanceQueries.spendSums (see there). */
function spendSumsStatement(query: SpendSumsQuery, manager: EntityManager): { sql: string; parameters: unknown[] } {
  const quote = (name: string) => manager.connection.driver.escape(name);
  const keyCol = query.key;
  const grain = keyCol ? GRAIN_OF_KEY[keyCol] : 'COST_CENTER';
  const byTool = keyCol === 'vendorId';
  const group = ['month', 'currency', 'costCenterKind', 'costType', 'shadowIt', ...(byTool ? ['toolId'] : []), ...(keyCol ? [keyCol] : [])]
    .map(quote)
    .join(', ');
  const emptyInToolGrain =
    grain === 'TOOL' ? ['costCenterId', 'categoryId', 'subcategoryId'].map((c) => ` AND ${quote(c)} = ''`).join('') : '';
  return {
    sql:
      `SELECT ${quote('currency')}, ${quote('month')}, ${quote('costCenterKind')} AS ${quote('kind')}, ${quote('costType')}, ` +
      `${quote('shadowIt')}, SUM(${quote('amountMinor')}) AS ${quote('amount')}` +
      `${keyCol ? `, ${quote(keyCol)} AS ${quote('k')}` : ''} FROM ${quote('ledger_totals')}` +
      ` WHERE ${quote('grain')} = ? AND ${quote('basis')} IN (${query.bases.map(() => '?').join(', ')})` +
      ` AND ${quote('month')} >= ? AND ${quote('month')} <= ?${emptyInToolGrain} GROUP BY ${group}`,
    parameters: [grain, ...query.bases, query.from, query.to],
  };
}

/** A row of spendSumsStatement as a LedgerSum. */
const ledgerSumOf =
  (keyCol: LedgerSumKey | null) =>
  (r: Record<string, unknown>): LedgerSum => ({
    key: keyCol ? String(r.k) : null,
    currency: String(r.currency),
    month: Number(r.month),
    kind: String(r.kind),
    costType: String(r.costType),
    shadowIt: sqlBool(r.shadowIt),
    amountMinor: sqlBigInt(r.amount),
  });

@Injectable()
export class FinanceQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The ledger of one basis and the months from..to, summed per (month, currency, cost-center kind,
   * cost type, shadow IT[, key]) in one statement over one grain of ledger_totals (the ledger summed
   * per month): COST_CENTER, CATEGORY or SUBCATEGORY, or TOOL for the tool and vendor keys. The
   * totals carry the tool's current shadow-IT flag, so no statement joins tools, and none reads
   * ledger_entries (figures: docs/PERFORMANCE.md).
   *
   * Over the TOOL grain the statement names the key columns that grain leaves empty, and sums keyed by
   * vendor come per tool as well: the primary key orders (…, shadow IT, cost center, category,
   * subcategory, tool, vendor), so grouped that way MariaDB streams the key instead of building a
   * temporary table of every group and sorting it. One vendor key may therefore repeat with the same
   * other columns: the caller adds those up.
   */
  async spendSums(query: SpendSumsQuery, manager: EntityManager = this.dataSource.manager): Promise<LedgerSum[]> {
    const { sql, parameters } = spendSumsStatement(query, manager);
    const raw = await manager.query<Record<string, unknown>[]>(sql, parameters);
    return raw.map(ledgerSumOf(query.key));
  }

  /**
   * spendSums, each sum handed to `visit` as it arrives instead of all at once (eachRow: streamed from
   * MariaDB/MySQL): a month of sums keyed by tool at 10,000 tools is tens of thousands of rows, which a
   * caller that adds them up as they come need never hold. Resolves with the number of sums.
   */
  async eachSpendSum(
    query: SpendSumsQuery,
    visit: (sum: LedgerSum) => void,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const { sql, parameters } = spendSumsStatement(query, manager);
    const toSum = ledgerSumOf(query.key);
    return eachRow<Record<string, unknown>>(manager, sql, parameters, (row) => visit(toSum(row)));
  }

  /**
   * The change counter of each ledger month from..to (yyyymm) that has one (a month without one was never
   * changed: 0). A month's counter grows with every committed change to its sums, FX rates or the tools'
   * flags and vendors in it. Read it before the figures: a result computed after reading it may be kept under it.
   */
  async ledgerGenerations(from: number, to: number, manager: EntityManager = this.dataSource.manager): Promise<Map<number, bigint>> {
    return ledgerGenerationsOf(manager, from, to);
  }

  /** Rate strings keyed "CUR|YYYY-MM" of the given currencies and months (one statement). */
  async rates(currencies: string[], months: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    return loadRates(manager, currencies, months);
  }

  /** Every rate of the months from..to (yyyymm) of the currencies other than `base`, keyed "CUR|YYYY-MM". */
  async ratesBetween(
    from: number,
    to: number,
    base: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, string>> {
    const quote = (name: string) => manager.connection.driver.escape(name);
    const rows = await manager.query<{ currency: string; month: string; rate: string }[]>(
      `SELECT ${quote('currency')}, ${quote('month')}, ${quote('rate')} FROM ${quote('fx_rates')} WHERE ${quote('month')} >= ? ` +
        `AND ${quote('month')} <= ? AND ${quote('currency')} <> ?`,
      [monthToString(from), monthToString(to), base],
    );
    return new Map(rows.map((r) => [`${r.currency}|${r.month}`, String(r.rate)]));
  }

  /** For each currency, the rate of `month` (YYYY-MM), else its latest earlier one; currencies without either are absent. One statement. */
  async ratesAtOrBefore(
    currencies: string[],
    month: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, string>> {
    const wanted = [...new Set(currencies)];
    if (!wanted.length) return new Map();
    const rows = await manager
      .getRepository(FxRate)
      .find({ where: { currency: In(wanted), month: LessThanOrEqual(month) }, select: { currency: true, month: true, rate: true } });
    const latest = new Map<string, { month: string; rate: string }>();
    for (const row of rows) {
      const seen = latest.get(row.currency);
      if (!seen || row.month > seen.month) latest.set(row.currency, { month: row.month, rate: row.rate });
    }
    return new Map([...latest].map(([currency, found]) => [currency, found.rate]));
  }

  /** ACTIVE contracts whose end or cancel-by date falls in asOf..until (YYYY-MM-DD), by cancel-by date then id. */
  async contractsDueForRenewal(asOf: string, until: string, manager: EntityManager = this.dataSource.manager): Promise<ContractFacts[]> {
    const rows = await manager
      .getRepository(Contract)
      .createQueryBuilder('c')
      .where('c.status = :status', { status: ContractStatus.ACTIVE })
      .andWhere(
        new Brackets((w) =>
          w.where('c.endDate >= :asOf AND c.endDate <= :until').orWhere('c.cancelByDate >= :asOf AND c.cancelByDate <= :until'),
        ),
      )
      .setParameters({ asOf, until })
      .orderBy('c.cancelByDate', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
    return rows.map(contractFacts);
  }

  /** The tools' ACTIVE LICENSE contracts with seats that run on `asOf` (YYYY-MM-DD). */
  async runningLicenseContracts(
    toolIds: readonly string[],
    asOf: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ContractFacts[]> {
    if (!toolIds.length) return [];
    const rows = await manager
      .getRepository(Contract)
      .createQueryBuilder('c')
      .where(
        'c.toolId IN (:...ids) AND c.status = :status AND c.costType = :license AND c.seats > 0 AND c.startDate <= :asOf AND c.endDate >= :asOf',
        { ids: [...toolIds], status: ContractStatus.ACTIVE, license: CostType.LICENSE, asOf },
      )
      .getMany();
    return rows.map(contractFacts);
  }

  /** The budgets of one fiscal year (amounts in the base currency). */
  async budgetsOfYear(fiscalYear: number, manager: EntityManager = this.dataSource.manager): Promise<BudgetAmount[]> {
    const rows = await manager.getRepository(Budget).find({ where: { fiscalYear } });
    return rows.map((b) => ({ costCenterId: b.costCenterId, amountMinor: b.amountMinor }));
  }
}
