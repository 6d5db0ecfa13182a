// The bulk write path of the benchmark seeder: builds contract, spend-entry and ledger rows with the
// product's own pure functions (contract-terms, ledger-rows, allocation splitting, fromDto) and the
// entities' column layout, exactly as ContractsService.createInTransaction and
// SpendEntriesService.createInTransaction would, so they can be inserted in multi-row batches.
'use strict';
const { dist } = require('./lib');

const platform = dist('libs/platform/src/index.js');
const finance = dist('libs/finance/src/index.js');
const { DEFAULT_INTERNAL_LEAD_DAYS } = finance;

/** Contract entity row for a CreateContractDto (mirrors ContractsService.createInTransaction + derive()). */
function contractRow(dto, tool, actorId, now) {
  const contract = Object.assign(new finance.Contract(), {
    id: platform.uuidv7(), toolId: tool.id, vendorId: dto.vendorId ?? tool.vendorId, reference: dto.reference ?? null, startDate: dto.startDate,
    termMonths: dto.termMonths, billing: dto.billing, amountMinor: platform.parseDecimalToMinor(dto.amount.amount, dto.amount.currency),
    currency: dto.amount.currency, costType: dto.costType ?? finance.CostType.LICENSE, seats: dto.seats ?? null, autoRenew: dto.autoRenew ?? false,
    noticeDays: dto.noticeDays ?? 0, internalLeadDays: dto.internalLeadDays ?? DEFAULT_INTERNAL_LEAD_DAYS, allocation: dto.allocation ?? null,
    status: finance.ContractStatus.ACTIVE, createdById: actorId ?? null, createdAt: now, updatedAt: now, version: 1,
  });
  Object.assign(contract, finance.contractDates(contract));
  contract.annualValueMinor = finance.annualValueMinor(contract);
  return contract;
}

/** Ledger rows of a contract (mirrors LedgerService.writeContract + insert()). kinds: Map costCenterId → kind. */
function contractLedgerRows(contract, tool, kinds, now) {
  const allocation = finance.effectiveAllocation(contract.allocation, null, tool.allocation, tool.budgetOwnerId);
  const rows = finance.buildLedgerRows(finance.accrualSchedule(contract), allocation, (id) => kinds.get(id), {
    toolId: tool.id, categoryId: tool.categoryId, subcategoryId: tool.subcategoryId, vendorId: contract.vendorId, shadowIt: tool.shadowIt, costType: contract.costType,
    currency: contract.currency, basis: finance.LedgerBasis.COMMITTED, sourceType: finance.LedgerSource.CONTRACT, sourceId: contract.id,
  });
  return rows.map((r) => ({ ...r, id: platform.uuidv7(now.getTime()), createdAt: now, updatedAt: now }));
}

/** Spend entry row for a CreateSpendEntryDto (mirrors SpendEntriesService.create → createInTransaction, source 'manual'). */
function spendRow(dto, actorId, now) {
  const input = finance.fromDto(dto);
  return Object.assign(new finance.SpendEntry(), {
    id: platform.uuidv7(), ...input, month: finance.monthOfDate(input.date), source: finance.SpendSource.MANUAL, createdById: actorId ?? null,
    createdAt: now, updatedAt: now, version: 1,
  });
}

/** Ledger rows of a spend entry (mirrors LedgerService.writeSpend + insert()). */
function spendLedgerRows(entry, tool, contract, kinds, now) {
  const allocation = finance.effectiveAllocation(entry.allocation, contract?.allocation, tool.allocation, tool.budgetOwnerId);
  const rows = finance.buildLedgerRows([{ month: finance.monthOfDate(entry.date), amountMinor: entry.amountMinor }], allocation, (id) => kinds.get(id), {
    toolId: tool.id, categoryId: tool.categoryId, subcategoryId: tool.subcategoryId, vendorId: contract?.vendorId ?? tool.vendorId, shadowIt: tool.shadowIt,
    costType: entry.costType, currency: entry.currency, basis: finance.LedgerBasis.ACTUAL, sourceType: finance.LedgerSource.SPEND, sourceId: entry.id,
  });
  return rows.map((r) => ({ ...r, id: platform.uuidv7(now.getTime()), createdAt: now, updatedAt: now }));
}

/**
 * Inserts entity objects in multi-row INSERTs of `chunk` rows. Each value goes through the driver's
 * preparePersistentValue (the entity column's transformer and the driver's date/boolean handling),
 * as TypeORM's own insert does; only the statement is built here, because TypeORM's query builder
 * spends more time on a 1,000-row VALUES list than the database does.
 */
async function insertChunked(manager, entity, rows, chunk) {
  if (!rows.length) return;
  const meta = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const cols = meta.columns.filter((c) => !c.isVirtual);
  const quote = (n) => driver.escape(n);
  const head = `INSERT INTO ${quote(meta.tableName)} (${cols.map((c) => quote(c.databaseName)).join(', ')}) VALUES `;
  const tuple = `(${cols.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const params = [];
    for (const row of part) for (const column of cols) {
      const value = driver.preparePersistentValue(column.getEntityValue(row), column);
      params.push(value === undefined ? null : value);
    }
    await manager.query(head + part.map(() => tuple).join(', '), params);
  }
}

module.exports = { contractRow, contractLedgerRows, spendRow, spendLedgerRows, insertChunked };
