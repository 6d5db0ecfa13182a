import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { columns } from '@stackgate/platform';

/**
 * Audit events name the API token an action was taken with in `metadata.apiToken.id`; this copies it
 * into an indexed `tokenId` column so GET /audit-events?tokenId=… is an index read on a large trail.
 * Existing events are filled from their metadata (read and written in batches, in TypeScript: the two
 * engines' JSON functions differ). The hashes are untouched: the metadata they cover already holds the id.
 */
export class AuditTokenId1767001700000 implements MigrationInterface {
  name = 'AuditTokenId1767001700000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.addColumn('audit_events', new TableColumn(col.uuid('tokenId', true)));
    await qr.createIndex('audit_events', new TableIndex({ name: 'IDX_audit_token', columnNames: ['tokenId', 'occurredAt'] }));
    let lastId = '';
    for (;;) {
      const rows = (await qr.query(`SELECT id, metadata FROM audit_events WHERE id > ? AND metadata LIKE ? ORDER BY id LIMIT 500`, [
        lastId,
        '%"apiToken"%',
      ])) as { id: string; metadata: string | Record<string, unknown> | null }[];
      if (!rows.length) break;
      for (const row of rows) {
        const metadata = typeof row.metadata === 'string' ? (JSON.parse(row.metadata) as Record<string, unknown>) : row.metadata;
        const id = (metadata?.apiToken as { id?: unknown } | undefined)?.id;
        if (typeof id === 'string') await qr.query(`UPDATE audit_events SET tokenId = ? WHERE id = ?`, [id, row.id]);
      }
      lastId = rows[rows.length - 1].id;
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('audit_events', 'IDX_audit_token');
    await qr.dropColumn('audit_events', 'tokenId');
  }
}
