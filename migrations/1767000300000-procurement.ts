import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tool requests, review stages, decisions, assessments, comments. */
export class Procurement1767000300000 implements MigrationInterface {
  name = 'Procurement1767000300000';

  async up(_qr: QueryRunner): Promise<void> {
    // Filled in by the procurement work.
  }

  async down(_qr: QueryRunner): Promise<void> {
    // Filled in by the procurement work.
  }
}
