import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/**
 * API tokens for integrations (identity): service accounts (a non-person principal: a users row that
 * cannot sign in, with its name and owning administrator here) and the tokens of people and service
 * accounts (hashed; looked up by the indexed lookup id part of the token).
 */
export class ApiTokens1767001200000 implements MigrationInterface {
  name = 'ApiTokens1767001200000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'service_accounts',
        columns: [
          col.id(),
          col.varchar('name', 100),
          col.varchar('description', 500, true),
          col.uuid('ownerId', true),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [new TableIndex({ name: 'UQ_service_accounts_name', columnNames: ['name'], isUnique: true })],
        foreignKeys: foreignKeys([fk('id', 'users', 'CASCADE'), fk('ownerId', 'users', 'SET NULL')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          col.id(),
          col.varchar('kind', 20),
          col.varchar('lookupId', 12),
          col.varchar('tokenHash', 64),
          col.varchar('name', 100),
          col.varchar('scopes', 200),
          col.uuid('principalId'),
          col.uuid('createdById', true),
          col.datetime('expiresAt', true),
          col.datetime('lastUsedAt', true),
          col.varchar('lastUsedIp', 64, true),
          col.datetime('revokedAt', true),
          col.uuid('revokedById', true),
          col.datetime('createdAt'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_api_tokens_lookup', columnNames: ['lookupId'], isUnique: true }),
          new TableIndex({ name: 'IDX_api_tokens_principal', columnNames: ['principalId', 'kind'] }),
        ],
        foreignKeys: foreignKeys([
          fk('principalId', 'users', 'CASCADE'),
          fk('createdById', 'users', 'SET NULL'),
          fk('revokedById', 'users', 'SET NULL'),
        ]),
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('api_tokens');
    await qr.dropTable('service_accounts');
  }
}
