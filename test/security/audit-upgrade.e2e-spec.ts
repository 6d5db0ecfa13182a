import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditCheckpoint, AuditEvent, AuditService, hashEventV1, LEGACY_CHECKPOINT } from '@stackgate/audit';
import { buildDataSourceOptions, uuidv7 } from '@stackgate/platform';
import { MIGRATIONS } from '../../migrations';
import { makeCast } from '../support/factories';
import { createTestDatabase, startTestApp, TEST_ENGINE, TestApp, TestDatabase } from '../support/test-app';

/*
 * Migration 1767000600000 on a trail written before it (version 1 hashes, entity-less events on no
 * chain): old rows keep their hash and still verify, their chains get checkpoints, the set of old
 * rows is anchored, and new events continue the old chains.
 */
describe(`Audit upgrade: a version 1 trail after migration 1767000600000 (${TEST_ENGINE})`, () => {
  let db: TestDatabase;
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  const toolId = randomUUID();
  const old: AuditEvent[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const before = new DataSource(
      buildDataSourceOptions(db.url, { migrations: MIGRATIONS.filter((m) => m.name !== 'AuditCheckpoints1767000600000') }),
    );
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    const quoteName = (n: string) => before.driver.escape(n);
    const sql = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
    // Three events of one tool and one refusal without an entity, as the version 1 AuditService wrote them.
    for (let i = 0; i < 4; i++) {
      const at = new Date(Date.UTC(2026, 10, 1, 9, 0, i, 123));
      const entity = i < 3;
      const ev = Object.assign(new AuditEvent(), {
        id: uuidv7(at.getTime()),
        occurredAt: at,
        actorId: randomUUID(),
        actorEmail: `old${i}@example.test`,
        action: entity ? 'tool.updated' : 'authz.denied',
        entityType: entity ? 'Tool' : 'Route',
        entityId: entity ? toolId : null,
        requestId: `old-${i}`,
        ip: '10.0.0.1',
        changes: entity ? { name: { before: `n${i}`, after: `n${i + 1}` } } : null,
        metadata: entity ? null : { path: '/api/v1/users' },
        chainSeq: entity ? i + 1 : null,
        prevHash: entity && i > 0 ? old[i - 1].hash : null,
        hashVersion: 1,
        chain: null,
        createdAt: at,
        updatedAt: at,
      });
      ev.hash = hashEventV1(ev);
      old.push(ev);
      const cols = [
        'id',
        'occurredAt',
        'actorId',
        'actorEmail',
        'action',
        'entityType',
        'entityId',
        'requestId',
        'ip',
        'changes',
        'metadata',
        'chainSeq',
        'prevHash',
        'hash',
        'createdAt',
        'updatedAt',
      ];
      await before.query(
        `INSERT INTO ${quoteName('audit_events')} (${cols.map(quoteName).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        [
          ev.id,
          sql(at),
          ev.actorId,
          ev.actorEmail,
          ev.action,
          ev.entityType,
          ev.entityId,
          ev.requestId,
          ev.ip,
          ev.changes ? JSON.stringify(ev.changes) : null,
          ev.metadata ? JSON.stringify(ev.metadata) : null,
          ev.chainSeq,
          ev.prevHash,
          ev.hash,
          sql(at),
          sql(at),
        ],
      );
    }
    await before.destroy();
    testApp = await startTestApp({}, {}, db);
    cast = await makeCast(testApp);
  });
  afterAll(async () => {
    await testApp?.close();
    await db?.drop();
  });

  const repo = () => testApp.dataSource.getRepository(AuditEvent);
  const quoteName = (name: string) => testApp.dataSource.driver.escape(name);
  const verify = async () => (await testApp.http().get('/api/v1/audit-events/verify').set(cast.admin.auth).expect(200)).body;

  it('keeps the old rows on version 1, chains their entities and anchors them', async () => {
    const rows = await repo().find({ where: old.map((o) => ({ id: o.id })), order: { id: 'ASC' } });
    expect(rows.map((r) => [r.hashVersion, r.chain, r.hash, r.requestId])).toEqual(
      old.map((o, i) => [1, i < 3 ? `Tool/${toolId}` : null, o.hash, o.requestId]),
    );
    const heads = testApp.dataSource.getRepository(AuditCheckpoint);
    expect(await heads.findOneByOrFail({ chain: `Tool/${toolId}` })).toMatchObject({
      headSeq: 3,
      headHash: old[2].hash,
      headEventId: old[2].id,
    });
    expect(await heads.findOneByOrFail({ chain: LEGACY_CHECKPOINT })).toMatchObject({ headSeq: 4, headEventId: old[3].id });
    expect(await verify()).toEqual({ ok: true, checked: await repo().count(), breaks: [] });
  });

  it('reports an old row deleted, whether it was on a chain or not', async () => {
    for (const victim of [old[3], old[2]]) {
      const row = await repo().findOneByOrFail({ id: victim.id });
      await testApp.dataSource.query(`DELETE FROM ${quoteName('audit_events')} WHERE ${quoteName('id')} = ?`, [victim.id]);
      const report = await verify();
      await repo().insert(row as never);
      expect(report.ok).toBe(false);
      expect(report.breaks.map((b: { kind: string }) => b.kind)).toContain('LEGACY_SET_CHANGED');
      if (victim === old[2]) expect(report.breaks.map((b: { kind: string }) => b.kind)).toContain('TRUNCATED');
    }
    expect((await verify()).ok).toBe(true);
  });

  it('continues an old chain with version 2 events', async () => {
    const next = await testApp.app
      .get(AuditService)
      .record(undefined, { action: 'tool.updated', entityType: 'Tool', entityId: toolId, metadata: { after: 'upgrade' } });
    expect(next).toMatchObject({ chain: `Tool/${toolId}`, chainSeq: 4, prevHash: old[2].hash, hashVersion: 2 });
    expect(await verify()).toMatchObject({ ok: true, breaks: [] });
  });
});
