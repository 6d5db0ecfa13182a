import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { columns } from '@stackgate/platform';

const QUEUE_INDEX = 'IDX_review_stages_queue';

/**
 * The awaiting-me queue's order is (due date, the request's creation, the request's id). Due dates are days, so thousands
 * of requests submitted on one day share one: with the creation on tool_requests only, a page sorted all of them. Each
 * review stage now carries its request's creation instant (copied when the stage is created; a request's creation never
 * changes) and the queue index orders by the whole key (stage, status, dueAt, requestCreatedAt, requestId, round), so a
 * page reads about skip + take open stages per decided stage however many share a due date (issue 27).
 */
export class ReviewStageRequestCreated1767002600000 implements MigrationInterface {
  name = 'ReviewStageRequestCreated1767002600000';

  async up(qr: QueryRunner): Promise<void> {
    // Dropped first: SQLite rebuilds the table to make the column NOT NULL, and would rebuild this index with it.
    await qr.dropIndex('review_stages', QUEUE_INDEX);
    const nullable = new TableColumn(columns(qr).datetime('requestCreatedAt', true));
    await qr.addColumn('review_stages', nullable);
    // Every stage has its request (foreign key, ON DELETE CASCADE): the value copied as stored, precision and all.
    await qr.query(
      'UPDATE review_stages SET requestCreatedAt = (SELECT r.createdAt FROM tool_requests r WHERE r.id = review_stages.requestId)',
    );
    await qr.changeColumn('review_stages', nullable, new TableColumn(columns(qr).datetime('requestCreatedAt')));
    await qr.createIndex(
      'review_stages',
      new TableIndex({ name: QUEUE_INDEX, columnNames: ['stage', 'status', 'dueAt', 'requestCreatedAt', 'requestId', 'round'] }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('review_stages', QUEUE_INDEX);
    await qr.dropColumn('review_stages', 'requestCreatedAt');
    await qr.createIndex(
      'review_stages',
      new TableIndex({ name: QUEUE_INDEX, columnNames: ['stage', 'status', 'dueAt', 'requestId', 'round'] }),
    );
  }
}
