import { MigrationInterface, QueryRunner } from 'typeorm';

/** Contracts, spend entries, budgets, FX rates and the ledger. */
export class Finance1767000400000 implements MigrationInterface {
  name = 'Finance1767000400000';

  async up(_qr: QueryRunner): Promise<void> {
    // Filled in by the finance work.
  }

  async down(_qr: QueryRunner): Promise<void> {
    // Filled in by the finance work.
  }
}
