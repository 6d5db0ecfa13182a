import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** Users and roles, login throttling, the audit trail and job leases. */
export class Foundation1767000000000 implements MigrationInterface {
  name = 'Foundation1767000000000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.createTable(new Table({
      name: 'users',
      columns: [
        c.id(), c.varchar('email', 254), c.varchar('displayName', 120), c.varchar('passwordHash', 255),
        c.bool('active', true), c.int('tokenVersion', false, 1), c.datetime('lastLoginAt', true),
        ...c.timestamps(), c.version(),
      ],
      indices: [new TableIndex({ name: 'UQ_users_email', columnNames: ['email'], isUnique: true })],
    }));
    await qr.createTable(new Table({
      name: 'user_roles',
      columns: [{ ...c.uuid('userId'), isPrimary: true }, { ...c.varchar('role', 20), isPrimary: true }],
      indices: [new TableIndex({ name: 'IDX_user_roles_role', columnNames: ['role'] })],
      foreignKeys: foreignKeys([fk('userId', 'users', 'CASCADE')]),
    }));
    await qr.createTable(new Table({
      name: 'login_throttles',
      columns: [{ ...c.varchar('throttleKey', 300), isPrimary: true }, c.int('failures'), c.datetime('windowStartedAt'), c.datetime('lockedUntil', true)],
    }));
    await qr.createTable(new Table({
      name: 'audit_events',
      columns: [
        c.id(), c.datetime('occurredAt'), c.uuid('actorId', true), c.varchar('actorEmail', 254, true),
        c.varchar('action', 100), c.varchar('entityType', 60), c.varchar('entityId', 36, true),
        c.varchar('requestId', 100, true), c.varchar('ip', 64, true), c.text('changes'), c.text('metadata'),
        c.int('chainSeq', true), c.varchar('prevHash', 64, true), c.varchar('hash', 64), ...c.timestamps(),
      ],
      indices: [
        new TableIndex({ name: 'UQ_audit_chain', columnNames: ['entityType', 'entityId', 'chainSeq'], isUnique: true }),
        new TableIndex({ name: 'IDX_audit_occurred', columnNames: ['occurredAt'] }),
        new TableIndex({ name: 'IDX_audit_actor', columnNames: ['actorId', 'occurredAt'] }),
      ],
    }));
    await qr.createTable(new Table({
      name: 'job_leases',
      columns: [{ ...c.varchar('name', 100), isPrimary: true }, c.varchar('holder', 100, true), c.datetime('leasedUntil', true), c.varchar('lastPeriod', 40, true)],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['job_leases', 'audit_events', 'login_throttles', 'user_roles', 'users']) await qr.dropTable(t);
  }
}
