import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** Contracts, spend entries, budgets, FX rates and the ledger. */
export class Finance1767000400000 implements MigrationInterface {
  name = 'Finance1767000400000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'contracts',
        columns: [
          col.id(),
          col.uuid('toolId'),
          col.uuid('vendorId'),
          col.varchar('reference', 120, true),
          col.date('startDate'),
          col.int('termMonths'),
          col.varchar('billing', 20),
          col.bigint('amountMinor'),
          col.varchar('currency', 3),
          col.varchar('costType', 20),
          col.int('seats', true),
          col.bool('autoRenew'),
          col.int('noticeDays', false, 0),
          col.int('internalLeadDays', false, 0),
          col.text('allocation'),
          col.varchar('status', 20),
          col.date('endDate'),
          col.date('cancelByDate'),
          col.date('reviewStartDate'),
          col.bigint('annualValueMinor'),
          col.uuid('createdById', true),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [
          new TableIndex({ name: 'IDX_contracts_tool', columnNames: ['toolId', 'status'] }),
          new TableIndex({ name: 'IDX_contracts_cancelBy', columnNames: ['status', 'cancelByDate'] }),
          new TableIndex({ name: 'IDX_contracts_end', columnNames: ['status', 'endDate'] }),
          new TableIndex({ name: 'IDX_contracts_reviewStart', columnNames: ['status', 'reviewStartDate'] }),
        ],
        foreignKeys: foreignKeys([fk('toolId', 'tools'), fk('vendorId', 'vendors'), fk('createdById', 'users', 'SET NULL')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'spend_entries',
        columns: [
          col.id(),
          col.date('date'),
          col.int('month'),
          col.uuid('toolId'),
          col.uuid('contractId', true),
          col.varchar('costType', 20),
          col.bigint('amountMinor'),
          col.varchar('currency', 3),
          col.text('description'),
          col.varchar('source', 20),
          col.varchar('externalRef', 200, true),
          col.text('allocation'),
          col.uuid('createdById', true),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [
          // NULL externalRefs never collide, so manual entries without a reference are unrestricted.
          new TableIndex({ name: 'UQ_spend_entries_source_ref', columnNames: ['source', 'externalRef'], isUnique: true }),
          new TableIndex({ name: 'IDX_spend_entries_tool', columnNames: ['toolId', 'month'] }),
          new TableIndex({ name: 'IDX_spend_entries_contract', columnNames: ['contractId'] }),
          new TableIndex({ name: 'IDX_spend_entries_month', columnNames: ['month'] }),
        ],
        foreignKeys: foreignKeys([fk('toolId', 'tools'), fk('contractId', 'contracts'), fk('createdById', 'users', 'SET NULL')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'budgets',
        columns: [
          col.id(),
          col.uuid('costCenterId'),
          col.int('fiscalYear'),
          col.bigint('amountMinor'),
          col.varchar('currency', 3),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [
          new TableIndex({ name: 'UQ_budgets_cc_fy', columnNames: ['costCenterId', 'fiscalYear'], isUnique: true }),
          new TableIndex({ name: 'IDX_budgets_fy', columnNames: ['fiscalYear'] }),
        ],
        foreignKeys: foreignKeys([fk('costCenterId', 'cost_centers')]),
      }),
    );
    // currency, month ('YYYY-MM') and rate (decimal string) are read by raw queries elsewhere: keep these names.
    await qr.createTable(
      new Table({
        name: 'fx_rates',
        columns: [
          col.id(),
          col.varchar('currency', 3),
          col.varchar('month', 7),
          col.varchar('rate', 30),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [
          new TableIndex({ name: 'UQ_fx_rates_currency_month', columnNames: ['currency', 'month'], isUnique: true }),
          new TableIndex({ name: 'IDX_fx_rates_month', columnNames: ['month'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'ledger_entries',
        columns: [
          col.id(),
          col.int('month'),
          col.uuid('toolId'),
          col.uuid('costCenterId'),
          col.varchar('costCenterKind', 20),
          col.uuid('categoryId'),
          col.uuid('subcategoryId'),
          col.uuid('vendorId'),
          col.varchar('costType', 20),
          col.varchar('basis', 20),
          col.varchar('sourceType', 20),
          col.uuid('sourceId'),
          col.bigint('amountMinor'),
          col.varchar('currency', 3),
          ...col.timestamps(),
        ],
        indices: [
          new TableIndex({ name: 'IDX_ledger_basis_month', columnNames: ['basis', 'month'] }),
          new TableIndex({ name: 'IDX_ledger_source', columnNames: ['sourceType', 'sourceId'] }),
          new TableIndex({ name: 'IDX_ledger_cc_basis_month', columnNames: ['costCenterId', 'basis', 'month'] }),
          new TableIndex({ name: 'IDX_ledger_tool_basis_month', columnNames: ['toolId', 'basis', 'month'] }),
        ],
        foreignKeys: foreignKeys([fk('toolId', 'tools'), fk('costCenterId', 'cost_centers')]),
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['ledger_entries', 'fx_rates', 'budgets', 'spend_entries', 'contracts']) await qr.dropTable(table);
  }
}
