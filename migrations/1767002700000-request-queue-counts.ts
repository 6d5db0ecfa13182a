import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns } from '@stackgate/platform';

/**
 * How many requests are in review at each (stage, type): the awaiting-me queue's total reads these few rows instead of
 * counting every request in review, which grew with the queue (about 6 ms of MariaDB per answer at 22,000 requests,
 * issue 27). Submit, decide and withdraw move a request's count in their transaction (libs/procurement's
 * queue-counts.ts); filled here from the requests in review. During a rolling upgrade the instances still on the old
 * version do not move counts: the hourly recount (queue-recount job) rewrites them from the requests.
 */
export class RequestQueueCounts1767002700000 implements MigrationInterface {
  name = 'RequestQueueCounts1767002700000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'request_queue_counts',
        columns: [{ ...col.varchar('stage', 20), isPrimary: true }, { ...col.varchar('type', 20), isPrimary: true }, col.int('requests')],
      }),
    );
    await qr.query(
      'INSERT INTO request_queue_counts (stage, type, requests) SELECT currentStage, type, COUNT(*) FROM tool_requests ' +
        "WHERE status = 'IN_REVIEW' AND currentStage IS NOT NULL GROUP BY currentStage, type",
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('request_queue_counts');
  }
}
