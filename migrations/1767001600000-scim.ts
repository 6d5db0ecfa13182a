import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/**
 * SCIM 2.0 provisioning (identity): the bearer tokens identity providers provision with (hashed, like
 * API tokens), the SCIM side of a user (its externalId and whether SCIM deleted it), and the groups an
 * identity provider pushes with their members (mapped to roles through OIDC_ROLE_MAP).
 */
export class Scim1767001600000 implements MigrationInterface {
  name = 'Scim1767001600000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'scim_tokens',
        columns: [
          col.id(),
          col.varchar('lookupId', 12),
          col.varchar('tokenHash', 64),
          col.varchar('name', 100),
          col.uuid('createdById', true),
          col.datetime('expiresAt', true),
          col.datetime('lastUsedAt', true),
          col.varchar('lastUsedIp', 64, true),
          col.datetime('revokedAt', true),
          col.uuid('revokedById', true),
          col.datetime('createdAt'),
        ],
        indices: [new TableIndex({ name: 'UQ_scim_tokens_lookup', columnNames: ['lookupId'], isUnique: true })],
        foreignKeys: foreignKeys([fk('createdById', 'users', 'SET NULL'), fk('revokedById', 'users', 'SET NULL')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'scim_users',
        columns: [
          { ...col.uuid('userId'), isPrimary: true },
          // only when the identity provider's userName is not the e-mail (Entra ID's user principal name, say)
          col.varchar('userName', 254, true),
          col.varchar('externalId', 255, true),
          col.varchar('givenName', 120, true),
          col.varchar('familyName', 120, true),
          col.datetime('deletedAt', true),
          ...col.timestamps(),
        ],
        indices: [
          new TableIndex({ name: 'IDX_scim_users_external', columnNames: ['externalId'] }),
          new TableIndex({ name: 'UQ_scim_users_user_name', columnNames: ['userName'], isUnique: true }),
        ],
        foreignKeys: foreignKeys([fk('userId', 'users', 'CASCADE')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'scim_groups',
        columns: [col.id(), col.varchar('displayName', 255), col.varchar('externalId', 255, true), ...col.timestamps(), col.version()],
        indices: [
          new TableIndex({ name: 'UQ_scim_groups_name', columnNames: ['displayName'], isUnique: true }),
          new TableIndex({ name: 'IDX_scim_groups_external', columnNames: ['externalId'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'scim_group_members',
        columns: [
          { ...col.uuid('groupId'), isPrimary: true },
          { ...col.uuid('userId'), isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'IDX_scim_group_members_user', columnNames: ['userId'] })],
        foreignKeys: foreignKeys([fk('groupId', 'scim_groups', 'CASCADE'), fk('userId', 'users', 'CASCADE')]),
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('scim_group_members');
    await qr.dropTable('scim_groups');
    await qr.dropTable('scim_users');
    await qr.dropTable('scim_tokens');
  }
}
