import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** Single sign-on (identity): which identity-provider account (issuer + subject) is which user. */
export class UserIdentities1767001400000 implements MigrationInterface {
  name = 'UserIdentities1767001400000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'user_identities',
        columns: [
          col.id(),
          col.uuid('userId'),
          col.varchar('issuer', 255),
          col.varchar('subject', 255),
          col.datetime('createdAt'),
          col.datetime('lastLoginAt', true),
        ],
        indices: [
          new TableIndex({ name: 'UQ_user_identities_subject', columnNames: ['issuer', 'subject'], isUnique: true }),
          new TableIndex({ name: 'UQ_user_identities_user', columnNames: ['userId', 'issuer'], isUnique: true }),
        ],
        foreignKeys: foreignKeys([fk('userId', 'users', 'CASCADE')]),
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('user_identities');
  }
}
