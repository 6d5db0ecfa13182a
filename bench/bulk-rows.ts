// The bulk write path of the benchmark seeder: builds contract, spend-entry and ledger rows with the
// product's own pure functions (contract terms, ledger rows, allocation precedence, fromDto) and
// entities, exactly as ContractsService.createInTransaction and SpendEntriesService.createInTransaction
// would, so that they can be inserted as multi-row INSERTs (insertRows from @stackgate/platform).
// The seeder's self-check proves on SQLite that these rows equal the services' rows.
import type { Tool } from '@stackgate/catalog';
import {
  accrualSchedule,
  annualValueMinor,
  buildLedgerRows,
  Contract,
  contractDates,
  ContractsService,
  ContractStatus,
  CostType,
  DEFAULT_INTERNAL_LEAD_DAYS,
  effectiveAllocation,
  fromDto,
  LedgerBasis,
  LedgerEntry,
  LedgerRowDraft,
  LedgerSource,
  monthOfDate,
  SpendEntry,
  SpendSource,
} from '@stackgate/finance';
import { parseDecimalToMinor, uuidv7 } from '@stackgate/platform';

/** What ContractsService.create takes (the API's POST /contracts body). */
export type CreateContractDto = Parameters<ContractsService['create']>[1];
/** What SpendEntriesService.create takes (the API's POST /spend-entries body). */
export type CreateSpendEntryDto = Parameters<typeof fromDto>[0];

/** Cost center id → its kind (MARKETING, IT, OTHER), as the ledger copies it. */
export type CostCenterKinds = ReadonlyMap<string, string>;

/** A ledger row as LedgerService inserts it: a draft with its id and timestamps. */
export type LedgerRow = LedgerRowDraft & Pick<LedgerEntry, 'id' | 'createdAt' | 'updatedAt'>;

function kindOf(kinds: CostCenterKinds): (costCenterId: string) => string {
  return (id) => {
    const kind = kinds.get(id);
    if (kind === undefined) throw new Error(`no cost center ${id} among the seeded ones`);
    return kind;
  };
}

const stamped = (rows: LedgerRowDraft[], now: Date): LedgerRow[] =>
  rows.map((r) => ({ ...r, id: uuidv7(now.getTime()), createdAt: now, updatedAt: now }));

/** Contract entity row for a CreateContractDto (mirrors ContractsService.createInTransaction and its derived fields). */
export function contractRow(dto: CreateContractDto, tool: Tool, actorId: string | null, now: Date): Contract {
  const contract = Object.assign(new Contract(), {
    id: uuidv7(),
    toolId: tool.id,
    vendorId: dto.vendorId ?? tool.vendorId,
    reference: dto.reference ?? null,
    startDate: dto.startDate,
    termMonths: dto.termMonths,
    billing: dto.billing,
    amountMinor: parseDecimalToMinor(dto.amount.amount, dto.amount.currency),
    currency: dto.amount.currency,
    costType: dto.costType ?? CostType.LICENSE,
    seats: dto.seats ?? null,
    autoRenew: dto.autoRenew ?? false,
    noticeDays: dto.noticeDays ?? 0,
    internalLeadDays: dto.internalLeadDays ?? DEFAULT_INTERNAL_LEAD_DAYS,
    allocation: dto.allocation ?? null,
    status: ContractStatus.ACTIVE,
    terminatedOn: null,
    terminationReason: null,
    createdById: actorId,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  Object.assign(contract, contractDates(contract));
  contract.annualValueMinor = annualValueMinor(contract);
  return contract;
}

/** Ledger rows of a contract (mirrors LedgerService.writeContract). */
export function contractLedgerRows(contract: Contract, tool: Tool, kinds: CostCenterKinds, now: Date): LedgerRow[] {
  const allocation = effectiveAllocation(contract.allocation, null, tool.allocation, tool.budgetOwnerId);
  return stamped(
    buildLedgerRows(accrualSchedule(contract), allocation, kindOf(kinds), {
      toolId: tool.id,
      categoryId: tool.categoryId,
      subcategoryId: tool.subcategoryId,
      vendorId: contract.vendorId,
      shadowIt: tool.shadowIt,
      costType: contract.costType,
      currency: contract.currency,
      basis: LedgerBasis.COMMITTED,
      sourceType: LedgerSource.CONTRACT,
      sourceId: contract.id,
    }),
    now,
  );
}

/** Spend entry row for a CreateSpendEntryDto (mirrors SpendEntriesService.create, source 'manual'). */
export function spendRow(dto: CreateSpendEntryDto, actorId: string | null, now: Date): SpendEntry {
  const input = fromDto(dto);
  return Object.assign(new SpendEntry(), {
    id: uuidv7(),
    ...input,
    month: monthOfDate(input.date),
    source: SpendSource.MANUAL,
    createdById: actorId,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
}

/** Ledger rows of a spend entry (mirrors LedgerService.writeSpend). */
export function spendLedgerRows(entry: SpendEntry, tool: Tool, contract: Contract | null, kinds: CostCenterKinds, now: Date): LedgerRow[] {
  const allocation = effectiveAllocation(entry.allocation, contract?.allocation, tool.allocation, tool.budgetOwnerId);
  return stamped(
    buildLedgerRows([{ month: monthOfDate(entry.date), amountMinor: entry.amountMinor }], allocation, kindOf(kinds), {
      toolId: tool.id,
      categoryId: tool.categoryId,
      subcategoryId: tool.subcategoryId,
      vendorId: contract?.vendorId ?? tool.vendorId,
      shadowIt: tool.shadowIt,
      costType: entry.costType,
      currency: entry.currency,
      basis: LedgerBasis.ACTUAL,
      sourceType: LedgerSource.SPEND,
      sourceId: entry.id,
    }),
    now,
  );
}
