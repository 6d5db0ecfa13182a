import { AuditEvent } from '@stackgate/audit';
import { LedgerEntry } from '@stackgate/finance';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DeliveryStatus, Notification, NotificationsService } from '@stackgate/notifications';
import { JobScheduler, Role } from '@stackgate/platform';
import { ReviewStage } from '@stackgate/procurement';
import { makeCostCenter, makeTool, makeVendor, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser, unique } from '../support/factories';
import { auditChainProblems, contractRows } from '../support/ledger-model';
import { makeRequest, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { createClusterDatabase, GaleraCluster, useGaleraCluster } from './galera-support';

/**
 * Three Stackgate instances, each on a different Galera node, one database. The same write sent to
 * different nodes at once has exactly one winner; the others get 409 (Galera aborts a conflicting write set
 * at commit with a deadlock error: the transaction runs again, reads the winner's row and refuses), never a
 * 5xx. Scheduled jobs run once per period across the instances.
 */
/** A real SMTP listener on loopback that records each message's recipients. */
async function startSmtp() {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received.push(session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { received, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('Races across Galera nodes', () => {
  const galera = useGaleraCluster();
  let cluster: GaleraCluster;
  let db: Awaited<ReturnType<typeof createClusterDatabase>>;
  const instances: TestApp[] = [];
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let setup: { costCenterId: string; subcategoryId: string };

  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    cluster = galera.get();
    smtp = await startSmtp();
    db = await createClusterDatabase(cluster);
    for (const node of [1, 2, 3]) {
      const env = {
        DB_URL: db.nodeUrl(node),
        FINANCE_APPROVAL_THRESHOLD: '50000.00',
        SMTP_URL: smtp.url,
        ...(node > 1 ? { DB_MIGRATE_ON_START: 'false' } : {}),
      };
      instances.push(await startTestApp(env, {}, db));
    }
    cast = await makeCast(instances[0]);
    const costCenter = await makeCostCenter(instances[0], cast.admin, { kind: 'MARKETING' });
    setup = { costCenterId: costCenter.id, subcategoryId: await subcategoryId(instances[0], 'SEO', cast.marketer) };
  });
  /** Galera's own count of write sets it refused at certification or aborted for a replicated one, over all nodes. */
  const conflicts = () =>
    [1, 2, 3]
      .map((node) =>
        cluster
          .sql(node, "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_cert_failures', 'wsrep_local_bf_aborts')")
          .trim()
          .split('\n')
          .reduce((sum, line) => sum + Number(line.split('\t')[1]), 0),
      )
      .reduce((sum, count) => sum + count, 0);
  let conflictsBefore = 0;
  beforeAll(() => {
    conflictsBefore = conflicts();
  });
  afterAll(async () => {
    // Proof that the races reached Galera's certification (not only InnoDB locks on one node).
    process.stdout.write(`[galera] races: ${conflicts() - conflictsBefore} certification failures / brute-force aborts across nodes\n`);
    for (const instance of instances) await instance.close();
    await db?.drop().catch(() => undefined);
    await smtp?.close();
  });

  /** `count` requests, spread over the three instances in turn, sent at once. */
  const onEveryNode = <T>(count: number, send: (instance: TestApp, index: number) => Promise<T>) =>
    Promise.all(Array.from({ length: count }, (_, index) => send(instances[index % instances.length], index)));
  const chainOf = (entityType: string, entityId: string) =>
    instances[0].dataSource.getRepository(AuditEvent).find({ where: { entityType, entityId }, order: { chainSeq: 'ASC' } });

  it('the same stage decision on three nodes: one 200, the rest 409, one decision, an intact audit chain', async () => {
    const request = await makeRequest(instances[0], cast.marketer, setup);
    const submitted = await submit(instances[1], cast.marketer, request.id);
    const cmos = [cast.cmo, await makeUser(instances[2], [Role.CMO]), await makeUser(instances[1], [Role.CMO])];
    const body = { version: submitted.version, stage: 'MARKETING', decision: 'APPROVE', comment: 'Fits the plan' };
    const results = await onEveryNode(9, (instance, index) =>
      instance
        .http()
        .post(`/api/v1/requests/${request.id}/decisions`)
        .set(cmos[index % 3].auth)
        .send(body),
    );
    expect(results.map((res) => res.status).sort()).toEqual([200, ...Array(8).fill(409)]);
    for (const loser of results.filter((res) => res.status === 409))
      expect(loser.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    for (const instance of instances) {
      const stages = await instance.dataSource.getRepository(ReviewStage).find({ where: { requestId: request.id } });
      expect(stages.filter((stage) => stage.decidedById)).toHaveLength(1);
    }
    const chain = await chainOf('ToolRequest', request.id);
    expect(chain.filter((event) => event.action === 'request.decided')).toHaveLength(1);
    expect(auditChainProblems(chain)).toEqual([]);
  });

  it('different requests decided at one stage on three nodes at once: all 200, and every node counts them as its requests say', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) {
      const request = await makeRequest(instances[i % 3], cast.marketer, setup, { title: `Counted across nodes ${i}` });
      ids.push((await submit(instances[i % 3], cast.marketer, request.id)).id);
    }
    const versions = await Promise.all(
      ids.map(async (id) => (await instances[0].http().get(`/api/v1/requests/${id}`).set(cast.marketer.auth).expect(200)).body.version),
    );
    // Nine writers move the same (stage, type) count rows from three nodes: certification conflicts, retried whole.
    const results = await onEveryNode(9, (instance, index) =>
      instance
        .http()
        .post(`/api/v1/requests/${ids[index]}/decisions`)
        .set(cast.cmo.auth)
        .send({ version: versions[index], stage: 'MARKETING', decision: 'APPROVE' }),
    );
    expect(results.map((res) => res.status)).toEqual(Array(9).fill(200));
    const lines = (rows: { stage: string; type: string; requests: number | string }[]) =>
      rows.map((row) => `${row.stage} ${row.type} ${Number(row.requests)}`);
    for (const instance of instances) {
      const counted = await instance.dataSource.query(
        'SELECT stage, type, requests FROM request_queue_counts WHERE requests <> 0 ORDER BY stage, type',
      );
      const actual = await instance.dataSource.query(
        "SELECT currentStage AS stage, type, COUNT(*) AS requests FROM tool_requests WHERE status = 'IN_REVIEW' " +
          'GROUP BY currentStage, type ORDER BY currentStage, type',
      );
      expect(lines(counted)).toEqual(lines(actual));
      expect(lines(actual).some((line) => line.startsWith('IT NEW_TOOL '))).toBe(true);
    }
  });

  it('the same versioned contract edit on three nodes: one 200, the rest 409, the ledger is exactly the winner', async () => {
    const tool = await makeTool(instances[0], cast.it, { budgetOwnerId: setup.costCenterId });
    const created = await instances[0]
      .http()
      .post('/api/v1/contracts')
      .set(cast.finance.auth)
      .send({
        toolId: tool.id,
        startDate: '2026-01-15',
        termMonths: 12,
        billing: 'MONTHLY',
        amount: { amount: '1000.00', currency: 'EUR' },
      })
      .expect(201);
    const edits = Array.from({ length: 9 }, (_, index) => ({
      version: created.body.version,
      amount: { amount: `${2000 + index * 111}.00`, currency: 'EUR' },
      termMonths: 6 + index,
      billing: index % 2 ? 'QUARTERLY' : 'MONTHLY',
      reference: `edit-${index}`,
    }));
    const results = await onEveryNode(9, (instance, index) =>
      instance.http().patch(`/api/v1/contracts/${created.body.id}`).set(cast.finance.auth).send(edits[index]),
    );
    expect(results.map((res) => res.status).sort()).toEqual([200, ...Array(8).fill(409)]);
    const winner = results.find((res) => res.status === 200)!;
    for (const instance of instances) {
      const stored = (await instance.http().get(`/api/v1/contracts/${created.body.id}`).set(cast.finance.auth).expect(200)).body;
      expect(stored).toEqual(winner.body);
    }
    // Read through node 3: the winner's ledger rows, and no row of a losing attempt.
    const ledger = await instances[2].dataSource.getRepository(LedgerEntry).find({ where: { sourceId: created.body.id } });
    expect(ledger.map((row) => `${row.month}|${row.costCenterId}|${row.amountMinor}`).sort()).toEqual(contractRows(winner.body));
    const chain = await chainOf('Contract', created.body.id);
    expect(chain.map((event) => event.action)).toEqual(['contract.created', 'contract.updated']);
    expect(auditChainProblems(chain)).toEqual([]);
  });

  it('the same new tool name on three nodes: one 201, the rest 409, one tool', async () => {
    const vendor = await makeVendor(instances[0], cast.it);
    const name = unique('Race tool');
    const body = { name, vendorId: vendor.id, subcategoryId: setup.subcategoryId, budgetOwnerId: setup.costCenterId };
    const results = await onEveryNode(9, (instance) => instance.http().post('/api/v1/tools').set(cast.it.auth).send(body));
    expect(results.map((res) => res.status).sort()).toEqual([201, ...Array(8).fill(409)]);
    for (const node of [1, 2, 3]) {
      const database = new URL(db.url.replace(/^mariadb:/, 'http:')).pathname.slice(1);
      expect(cluster.sql(node, `SELECT COUNT(*) FROM \`${database}\`.tools WHERE name = '${name}'`).trim()).toBe('1');
    }
  });

  it('an overdue reminder goes out once with three instances on three nodes ticking at once', async () => {
    const request = await makeRequest(instances[0], cast.marketer, setup);
    await submit(instances[0], cast.marketer, request.id);
    await instances[0].dataSource
      .getRepository(ReviewStage)
      .update({ requestId: request.id, stage: 'MARKETING' as never }, { dueAt: new Date(Date.now() - 3_600_000) });
    const day = new Date(Date.now() + 2000);
    for (let round = 0; round < 2; round++) await Promise.all(instances.map((instance) => instance.app.get(JobScheduler).tick(day)));
    const reminders = await instances[1].dataSource
      .getRepository(Notification)
      .find({ where: { event: 'stage-overdue', entityId: request.id } });
    expect(reminders.filter((reminder) => reminder.recipientId === cast.cmo.id)).toHaveLength(1);
  });

  it('delivers each queued e-mail once with three instances on three nodes ticking at once', async () => {
    const recipients = await Promise.all([1, 2, 3, 4, 5].map(() => makeUser(instances[0], [Role.FINANCE])));
    const queued = await instances[1].dataSource.transaction((manager) =>
      instances[1].app.get(NotificationsService).enqueue(manager, {
        event: 'test-notice',
        recipients: recipients.map((user) => ({ id: user.id, email: user.email })),
        data: { name: 'Galera outbox' },
      }),
    );
    const due = new Date(Date.now() + 5000);
    for (let round = 0; round < 2; round++) await Promise.all(instances.map((instance) => instance.app.get(JobScheduler).tick(due)));
    const mine = smtp.received.filter((to) => recipients.some((user) => user.email === to));
    expect(mine.sort()).toEqual(recipients.map((user) => user.email).sort());
    for (const row of queued) {
      const stored = await instances[2].dataSource.getRepository(Notification).findOneByOrFail({ id: row.id });
      expect(stored).toMatchObject({ deliveryStatus: DeliveryStatus.SENT, deliveryAttempts: 1 });
    }
  });
});
