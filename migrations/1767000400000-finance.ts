import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** Contracts, spend entries, budgets, FX rates and the ledger. */
export class Finance1767000400000 implements MigrationInterface {
  name = 'Finance1767000400000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.createTable(new Table({
      name: 'contracts',
      columns: [
        c.id(), c.uuid('toolId'), c.uuid('vendorId'), c.varchar('reference', 120, true), c.date('startDate'), c.int('termMonths'),
        c.varchar('billing', 20), c.bigint('amountMinor'), c.varchar('currency', 3), c.varchar('costType', 20), c.int('seats', true),
        c.bool('autoRenew'), c.int('noticeDays', false, 0), c.int('internalLeadDays', false, 0), c.text('allocation'), c.varchar('status', 20),
        c.date('endDate'), c.date('cancelByDate'), c.date('reviewStartDate'), c.bigint('annualValueMinor'), c.uuid('createdById', true),
        ...c.timestamps(), c.version(),
      ],
      indices: [
        new TableIndex({ name: 'IDX_contracts_tool', columnNames: ['toolId', 'status'] }),
        new TableIndex({ name: 'IDX_contracts_cancelBy', columnNames: ['status', 'cancelByDate'] }),
        new TableIndex({ name: 'IDX_contracts_end', columnNames: ['status', 'endDate'] }),
        new TableIndex({ name: 'IDX_contracts_reviewStart', columnNames: ['status', 'reviewStartDate'] }),
      ],
      foreignKeys: foreignKeys([fk('toolId', 'tools'), fk('vendorId', 'vendors'), fk('createdById', 'users', 'SET NULL')]),
    }));
    await qr.createTable(new Table({
      name: 'spend_entries',
      columns: [
        c.id(), c.date('date'), c.int('month'), c.uuid('toolId'), c.uuid('contractId', true), c.varchar('costType', 20), c.bigint('amountMinor'),
        c.varchar('currency', 3), c.text('description'), c.varchar('source', 20), c.varchar('externalRef', 200, true), c.text('allocation'),
        c.uuid('createdById', true), ...c.timestamps(), c.version(),
      ],
      indices: [
        // NULL externalRefs never collide, so manual entries without a reference are unrestricted.
        new TableIndex({ name: 'UQ_spend_entries_source_ref', columnNames: ['source', 'externalRef'], isUnique: true }),
        new TableIndex({ name: 'IDX_spend_entries_tool', columnNames: ['toolId', 'month'] }),
        new TableIndex({ name: 'IDX_spend_entries_contract', columnNames: ['contractId'] }),
        new TableIndex({ name: 'IDX_spend_entries_month', columnNames: ['month'] }),
      ],
      foreignKeys: foreignKeys([fk('toolId', 'tools'), fk('contractId', 'contracts'), fk('createdById', 'users', 'SET NULL')]),
    }));
    await qr.createTable(new Table({
      name: 'budgets',
      columns: [c.id(), c.uuid('costCenterId'), c.int('fiscalYear'), c.bigint('amountMinor'), c.varchar('currency', 3), ...c.timestamps(), c.version()],
      indices: [new TableIndex({ name: 'UQ_budgets_cc_fy', columnNames: ['costCenterId', 'fiscalYear'], isUnique: true }), new TableIndex({ name: 'IDX_budgets_fy', columnNames: ['fiscalYear'] })],
      foreignKeys: foreignKeys([fk('costCenterId', 'cost_centers')]),
    }));
    // currency, month ('YYYY-MM') and rate (decimal string) are read by raw queries elsewhere: keep these names.
    await qr.createTable(new Table({
      name: 'fx_rates',
      columns: [c.id(), c.varchar('currency', 3), c.varchar('month', 7), c.varchar('rate', 30), ...c.timestamps(), c.version()],
      indices: [new TableIndex({ name: 'UQ_fx_rates_currency_month', columnNames: ['currency', 'month'], isUnique: true }), new TableIndex({ name: 'IDX_fx_rates_month', columnNames: ['month'] })],
    }));
    await qr.createTable(new Table({
      name: 'ledger_entries',
      columns: [
        c.id(), c.int('month'), c.uuid('toolId'), c.uuid('costCenterId'), c.varchar('costCenterKind', 20), c.uuid('categoryId'), c.uuid('subcategoryId'),
        c.uuid('vendorId'), c.varchar('costType', 20), c.varchar('basis', 20), c.varchar('sourceType', 20), c.uuid('sourceId'),
        c.bigint('amountMinor'), c.varchar('currency', 3), ...c.timestamps(),
      ],
      indices: [
        new TableIndex({ name: 'IDX_ledger_basis_month', columnNames: ['basis', 'month'] }),
        new TableIndex({ name: 'IDX_ledger_source', columnNames: ['sourceType', 'sourceId'] }),
        new TableIndex({ name: 'IDX_ledger_cc_basis_month', columnNames: ['costCenterId', 'basis', 'month'] }),
        new TableIndex({ name: 'IDX_ledger_tool_basis_month', columnNames: ['toolId', 'basis', 'month'] }),
      ],
      foreignKeys: foreignKeys([fk('toolId', 'tools'), fk('costCenterId', 'cost_centers')]),
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['ledger_entries', 'fx_rates', 'budgets', 'spend_entries', 'contracts']) await qr.dropTable(t);
  }
}
