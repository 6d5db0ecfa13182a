import { createHash } from 'node:crypto';
import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columns, isMysqlFamily } from '@stackgate/platform';

/** The checkpoint row of the version 1 events (libs/audit/src/audit-hash.ts LEGACY_CHECKPOINT). */
const LEGACY_CHECKPOINT = '~legacy-v1';

/**
 * The audit trail becomes hard to blank or truncate:
 * - `hashVersion`: existing rows keep the hash they were written with (version 1, which leaves out
 *   actorEmail, createdAt and updatedAt) and are verified with that formula; new rows are hashed over
 *   every column (version 2). Rehashing the old rows here was rejected: it would sign whatever they
 *   hold now, so tampering done before the upgrade would become valid history.
 * - `chain`: every event is on a chain, with (chain, chainSeq) unique, events without an entity
 *   included (on a few chains per entity type). Old events about an entity get their entity's
 *   chain; old events without one stay on none.
 * - `audit_checkpoints`: the head of every chain, moved in each event's transaction, so deleting the
 *   newest events of a chain is detectable; its LEGACY_CHECKPOINT row anchors the version 1 events
 *   (count, newest id, digest of their hashes), which are fixed from now on.
 * - `requestId` takes the 128 characters an inbound X-Request-Id may have.
 */
export class AuditCheckpoints1767000600000 implements MigrationInterface {
  name = 'AuditCheckpoints1767000600000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    const quote = (n: string) => qr.connection.driver.escape(n);
    await qr.addColumns('audit_events', [
      new TableColumn(col.varchar('chain', 100, true)),
      new TableColumn(col.int('hashVersion', false, 1)),
    ]);
    await widenRequestId(qr, 128);
    const key = isMysqlFamily(qr)
      ? `CONCAT(${quote('entityType')}, '/', ${quote('entityId')})`
      : `${quote('entityType')} || '/' || ${quote('entityId')}`;
    await qr.query(`UPDATE ${quote('audit_events')} SET ${quote('chain')} = ${key} WHERE ${quote('entityId')} IS NOT NULL`);
    await qr.createIndex(
      'audit_events',
      new TableIndex({ name: 'UQ_audit_chain_seq', columnNames: ['chain', 'chainSeq'], isUnique: true }),
    );

    await qr.createTable(
      new Table({
        name: 'audit_checkpoints',
        columns: [
          { ...col.varchar('chain', 100), isPrimary: true },
          col.int('headSeq'),
          col.varchar('headHash', 64),
          col.uuid('headEventId', true),
          col.datetime('updatedAt'),
        ],
      }),
    );
    const cols = ['chain', 'headSeq', 'headHash', 'headEventId', 'updatedAt'].map(quote).join(', ');
    await qr.query(
      `INSERT INTO ${quote('audit_checkpoints')} (${cols}) SELECT x.${quote('chain')}, ` +
        `x.${quote('chainSeq')}, x.${quote('hash')}, x.${quote('id')}, x.${quote('occurredAt')} ` +
        `FROM ${quote('audit_events')} x WHERE x.${quote('chain')} IS NOT NULL AND x.${quote('chainSeq')} = ` +
        `(SELECT MAX(y.${quote('chainSeq')}) FROM ${quote('audit_events')} y WHERE y.${quote('chain')} = x.${quote('chain')})`,
    );

    // The version 1 events, anchored by count, newest id and the sum of their hashes modulo 2^256
    // (the order-independent digest of audit-hash.ts setDigest, repeated here as it stands today).
    let count = 0;
    let digest = 0n;
    let lastId = '';
    for (;;) {
      const rows = (await qr.query(
        `SELECT ${quote('id')} AS id, ${quote('hash')} AS hash FROM ${quote('audit_events')} WHERE ${quote('id')} > ? ORDER BY ${quote('id')} LIMIT 5000`,
        [lastId],
      )) as { id: string; hash: string }[];
      for (const row of rows) {
        const hash = /^[0-9a-f]{64}$/.test(row.hash) ? row.hash : createHash('sha256').update(row.hash).digest('hex');
        digest = (digest + BigInt(`0x${hash}`)) % (1n << 256n);
      }
      count += rows.length;
      if (rows.length) lastId = rows[rows.length - 1].id;
      if (rows.length < 5000) break;
    }
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    await qr.query(`INSERT INTO ${quote('audit_checkpoints')} (${cols}) VALUES (?, ?, ?, ?, ?)`, [
      LEGACY_CHECKPOINT,
      count,
      digest.toString(16).padStart(64, '0'),
      lastId || null,
      now,
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('audit_checkpoints');
    await qr.dropIndex('audit_events', 'UQ_audit_chain_seq');
    await widenRequestId(qr, 100);
    await qr.dropColumns('audit_events', ['hashVersion', 'chain']);
  }
}

/**
 * Sets the length of audit_events.requestId in place. Not qr.changeColumn: on MySQL/MariaDB TypeORM
 * changes a column's length by dropping and re-adding it, which would blank every stored request
 * id. SQLite ignores varchar lengths, so its table (and data) is left as it is.
 */
async function widenRequestId(qr: QueryRunner, length: number): Promise<void> {
  if (!isMysqlFamily(qr)) return;
  const quote = (n: string) => qr.connection.driver.escape(n);
  await qr.query(`ALTER TABLE ${quote('audit_events')} MODIFY ${quote('requestId')} varchar(${length}) NULL`);
}
