import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** Users and roles, login throttling, the audit trail and job leases. */
export class Foundation1767000000000 implements MigrationInterface {
  name = 'Foundation1767000000000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'users',
        columns: [
          col.id(),
          col.varchar('email', 254),
          col.varchar('displayName', 120),
          col.varchar('passwordHash', 255),
          col.bool('active', true),
          col.int('tokenVersion', false, 1),
          col.datetime('lastLoginAt', true),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [new TableIndex({ name: 'UQ_users_email', columnNames: ['email'], isUnique: true })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'user_roles',
        columns: [
          { ...col.uuid('userId'), isPrimary: true },
          { ...col.varchar('role', 20), isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'IDX_user_roles_role', columnNames: ['role'] })],
        foreignKeys: foreignKeys([fk('userId', 'users', 'CASCADE')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'login_throttles',
        columns: [
          { ...col.varchar('throttleKey', 300), isPrimary: true },
          col.int('failures'),
          col.datetime('windowStartedAt'),
          col.datetime('lockedUntil', true),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          col.id(),
          col.datetime('occurredAt'),
          col.uuid('actorId', true),
          col.varchar('actorEmail', 254, true),
          col.varchar('action', 100),
          col.varchar('entityType', 60),
          col.varchar('entityId', 36, true),
          col.varchar('requestId', 100, true),
          col.varchar('ip', 64, true),
          col.text('changes'),
          col.text('metadata'),
          col.int('chainSeq', true),
          col.varchar('prevHash', 64, true),
          col.varchar('hash', 64),
          ...col.timestamps(),
        ],
        indices: [
          new TableIndex({ name: 'UQ_audit_chain', columnNames: ['entityType', 'entityId', 'chainSeq'], isUnique: true }),
          new TableIndex({ name: 'IDX_audit_occurred', columnNames: ['occurredAt'] }),
          new TableIndex({ name: 'IDX_audit_actor', columnNames: ['actorId', 'occurredAt'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'job_leases',
        columns: [
          { ...col.varchar('name', 100), isPrimary: true },
          col.varchar('holder', 100, true),
          col.datetime('leasedUntil', true),
          col.varchar('lastPeriod', 40, true),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['job_leases', 'audit_events', 'login_throttles', 'user_roles', 'users']) await qr.dropTable(table);
  }
}
