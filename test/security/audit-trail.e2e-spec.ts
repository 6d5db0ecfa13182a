import { randomUUID } from 'node:crypto';
import { request as httpRequest, ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { In, QueryRunner } from 'typeorm';
import { AuditCheckpoint, AuditEvent, AuditService } from '@stackgate/audit';
import { Vendor, VendorsService } from '@stackgate/catalog';
import { RequestContext, requestContext, Role } from '@stackgate/platform';
import { RequestsService } from '@stackgate/procurement';
import { makeCostCenter, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser, TestUser, unique } from '../support/factories';
import { makeRequest } from '../support/procurement-factories';
import { isMysql, startTestApp, TEST_ENGINE, TestApp } from '../support/test-app';

/*
 * Issue 21, items 10, 15 and 18 (X-Request-Id): an audit trail nobody can make anonymous, blank or
 * truncate. Writes whose client hangs up mid-handler are still audited with their actor, request id
 * and address; every stored field is hashed; deleting the newest event of a chain or an event
 * without an entity is reported by GET /api/v1/audit-events/verify; an inbound X-Request-Id is kept
 * only when it is 1–128 characters of [A-Za-z0-9._:-].
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LOOPBACK = /127\.0\.0\.1|::1/;

describe(`Audit trail: kept whatever the client does, and hard to blank or truncate (${TEST_ENGINE})`, () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let port: number;
  let mysql: boolean;
  let draft: { id: string };

  beforeAll(async () => {
    testApp = await startTestApp({ DB_POOL_SIZE: '12' });
    mysql = isMysql(testApp.config);
    cast = await makeCast(testApp);
    const cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    draft = await makeRequest(testApp, cast.marketer, {
      costCenterId: cc.id,
      subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars', cast.cmo),
    });
    const server = testApp.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => testApp?.close());

  const repo = () => testApp.dataSource.getRepository(AuditEvent);
  const quoteName = (name: string) => testApp.dataSource.driver.escape(name);
  const verify = async () =>
    (await testApp.http().get('/api/v1/audit-events/verify').set(cast.admin.auth).expect(200)).body as {
      ok: boolean;
      checked: number;
      breaks: { eventId?: string; chain?: string; kind: string; message: string }[];
    };

  /** Sends a JSON POST over its own socket and resolves once the whole request is on the wire. */
  function post(path: string, user: TestUser, requestId: string, body: object): Promise<ClientRequest> {
    const text = JSON.stringify(body);
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path,
      headers: { ...user.auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': requestId },
    });
    req.on('error', () => undefined); // destroyed on purpose
    req.on('response', (res) => res.resume());
    return new Promise((resolve) => req.end(text, () => resolve(req)));
  }

  describe('item 10: a write whose client hangs up mid-handler keeps its context', () => {
    it('audits every aborted comment and vendor with its actor, request id and address', async () => {
      const requests = testApp.app.get(RequestsService);
      const vendors = testApp.app.get(VendorsService);
      const commenting = jest.spyOn(requests, 'comment');
      const creating = jest.spyOn(vendors, 'create');
      const commenters = [cast.marketer, cast.cmo, cast.cio, cast.marketer, cast.cmo, cast.cio];
      const vendorNames = [cast.it, cast.admin, cast.cmo].map((u) => ({ u, name: unique('Aborted Vendor') }));

      // Hold the writes mid-handler: on MariaDB with row locks from a second connection (the
      // comment's foreign-key check waits on the request row, the vendor insert on the same name
      // inserted by the holder); on SQLite, which runs one transaction at a time, with an open one.
      let holder: QueryRunner | undefined;
      let release: () => void = () => undefined;
      let held: Promise<unknown> = Promise.resolve();
      if (mysql) {
        holder = testApp.dataSource.createQueryRunner();
        await holder.startTransaction();
        await holder.query(`SELECT ${quoteName('id')} FROM ${quoteName('tool_requests')} WHERE ${quoteName('id')} = ? FOR UPDATE`, [
          draft.id,
        ]);
        for (const { u: actor, name } of vendorNames) {
          await vendors.createInTransaction(holder.manager, { id: actor.id, email: actor.email, roles: actor.roles } as never, { name });
        }
      } else {
        let open!: () => void;
        const gate = new Promise<void>((r) => (open = r));
        let started!: () => void;
        const begun = new Promise<void>((r) => (started = r));
        held = testApp.dataSource.transaction(async () => {
          started();
          await gate;
        });
        await begun;
        release = open;
      }

      const sent = [
        ...commenters.map((u, i) => ({
          u,
          id: `abort-comment-${i}-${unique('r')}`,
          path: `/api/v1/requests/${draft.id}/comments`,
          body: { body: `Comment ${i} whose author hangs up` },
        })),
        ...vendorNames.map(({ u, name }, i) => ({ u, id: `abort-vendor-${i}-${unique('r')}`, path: '/api/v1/vendors', body: { name } })),
      ];
      const clients = await Promise.all(sent.map((s) => post(s.path, s.u, s.id, s.body)));
      // Every handler has started and waits on the database; then every client hangs up.
      for (let i = 0; i < 200 && commenting.mock.calls.length + creating.mock.calls.length < sent.length; i++) await sleep(25);
      expect(commenting.mock.calls.length + creating.mock.calls.length).toBe(sent.length);
      await sleep(300);
      for (const request of clients) request.destroy();
      await sleep(300);

      if (holder) {
        await holder.rollbackTransaction();
        await holder.release();
      }
      release();
      await held;
      await Promise.allSettled([...commenting.mock.results, ...creating.mock.results].map((r) => r.value));
      commenting.mockRestore();
      creating.mockRestore();

      const comments = await repo().find({ where: { action: 'request.commented', entityId: draft.id }, order: { chainSeq: 'ASC' } });
      const created = await testApp.dataSource.getRepository(Vendor).find({ where: { name: In(vendorNames.map((v) => v.name)) } });
      expect(comments).toHaveLength(commenters.length);
      expect(created).toHaveLength(vendorNames.length);
      const vendorEvents = await repo().find({ where: { action: 'vendor.created', entityId: In(created.map((v) => v.id)) } });
      const expected = new Map(sent.map((s) => [s.id, s.u]));
      const seen = [...comments, ...vendorEvents].map((e) => ({
        requestId: e.requestId,
        actorId: e.actorId,
        actorEmail: e.actorEmail,
        ip: LOOPBACK.test(e.ip ?? ''),
      }));
      expect(seen.map((e) => e.requestId).sort()).toEqual([...expected.keys()].sort());
      for (const event of seen) {
        const user = expected.get(event.requestId!)!;
        expect(event).toEqual({ requestId: event.requestId, actorId: user.id, actorEmail: user.email, ip: true });
      }
    });

    it("runs reads in their request context too: a read's handler sees its reader and request id", async () => {
      const seen: (RequestContext | undefined)[] = [];
      const vendors = testApp.app.get(VendorsService);
      const read = vendors.get.bind(vendors);
      const handlerSeen = jest.spyOn(vendors, 'get').mockImplementation(async (id) => {
        seen.push(requestContext()); // inside the read's handler
        return read(id);
      });
      try {
        const response = await testApp
          .http()
          .post('/api/v1/vendors')
          .set(cast.cmo.auth)
          .send({ name: unique('Context Vendor') })
          .expect(201);
        const res = await testApp
          .http()
          .get(`/api/v1/vendors/${response.body.id}`)
          .set(cast.finance.auth)
          .set('X-Request-Id', 'read-in-context')
          .expect(200);
        expect(res.headers['x-request-id']).toBe('read-in-context');
        expect(seen.map((c) => ({ requestId: c?.requestId, actorId: c?.actor?.id, ip: LOOPBACK.test(c?.ip ?? '') }))).toEqual([
          { requestId: 'read-in-context', actorId: cast.finance.id, ip: true },
        ]);
      } finally {
        handlerSeen.mockRestore();
      }
    });
  });

  describe('item 18: an inbound X-Request-Id is kept only when it is short and plain', () => {
    const vendorWith = async (requestId: string | string[]) => {
      const res = await testApp
        .http()
        .post('/api/v1/vendors')
        .set(cast.cmo.auth)
        .set('X-Request-Id', requestId as string)
        .send({ name: unique('Request Id Vendor') })
        .expect(201);
      const [event] = await repo().find({ where: { action: 'vendor.created', entityId: res.body.id } });
      return { header: res.headers['x-request-id'], stored: event.requestId };
    };

    it('keeps and stores 1 to 128 characters of letters, digits and ._:-', async () => {
      for (const id of ['a', 'Z9', 'trace:4bf92f3577b34da6.a3ce-929d_0e0e', 'x'.repeat(128), `${'A1._:-'.repeat(21)}ab`]) {
        expect(await vendorWith(id)).toEqual({ header: id, stored: id });
      }
    });

    it('replaces anything else by a generated id, and answers normally', async () => {
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
      for (const id of [
        'x'.repeat(129),
        'has space',
        'quote"d',
        "it's",
        'semi;colon',
        'slash/ed',
        'tab\there',
        'unicode-é',
        '<script>',
        'a,b',
        ['first-id', 'second-id'],
      ]) {
        const { header, stored } = await vendorWith(id);
        expect(header).toMatch(uuid);
        expect(stored).toBe(header);
      }
    });
  });

  describe('item 15: GET /audit-events/verify reports rewritten, deleted and truncated events', () => {
    /** Runs `change`, checks what verify reports, then undoes it and checks the trail is whole again. */
    async function tampered(change: () => Promise<() => Promise<void>>, expectBreak: (b: Awaited<ReturnType<typeof verify>>) => void) {
      const undo = await change();
      try {
        const report = await verify();
        expect(report.ok).toBe(false);
        expectBreak(report);
      } finally {
        await undo();
      }
      expect(await verify()).toMatchObject({ ok: true, breaks: [] });
    }

    /** Deletes an event with raw SQL; the undo puts the very same row back. */
    const deleteEvent = async (event: AuditEvent) => {
      await testApp.dataSource.query(`DELETE FROM ${quoteName('audit_events')} WHERE ${quoteName('id')} = ?`, [event.id]);
      return async () => {
        await repo().insert(event as never);
      };
    };

    it('answers ok for an intact trail, covering every event', async () => {
      const report = await verify();
      expect(report).toEqual({ ok: true, checked: await repo().count(), breaks: [] });
      expect(report.checked).toBeGreaterThan(20);
    });

    it('is for ADMIN only: others get 403, and the refusal is audited', async () => {
      const requestId = `verify-denied-${unique('r')}`;
      for (const user of [cast.cio, cast.finance, cast.cmo, cast.marketer]) {
        await testApp
          .http()
          .get('/api/v1/audit-events/verify')
          .set(user.auth)
          .set('X-Request-Id', `${requestId}-${user.roles[0]}`)
          .expect(403);
      }
      const denied = await repo().find({ where: { action: 'authz.denied', requestId: `${requestId}-CIO` } });
      expect(denied).toHaveLength(1);
      expect(denied[0]).toMatchObject({
        actorId: cast.cio.id,
        actorEmail: cast.cio.email,
        entityId: null,
        metadata: expect.objectContaining({ path: '/api/v1/audit-events/verify' }),
      });
      await testApp.http().get('/api/v1/audit-events/verify').expect(401);
    });

    it('reports an actorEmail rewritten with raw SQL', async () => {
      const [event] = await repo().find({
        where: { action: 'request.commented', entityId: draft.id },
        order: { chainSeq: 'DESC' },
        take: 1,
      });
      await tampered(
        async () => {
          await testApp.dataSource.query(
            `UPDATE ${quoteName('audit_events')} SET ${quoteName('actorEmail')} = ? WHERE ${quoteName('id')} = ?`,
            ['someone-else@example.test', event.id],
          );
          return async () => {
            await testApp.dataSource.query(
              `UPDATE ${quoteName('audit_events')} SET ${quoteName('actorEmail')} = ? WHERE ${quoteName('id')} = ?`,
              [event.actorEmail, event.id],
            );
          };
        },
        (r) => expect(r.breaks).toEqual([expect.objectContaining({ eventId: event.id, kind: 'HASH_MISMATCH' })]),
      );
    });

    it('reports a rewritten createdAt, requestId or ip, and a downgraded hash version', async () => {
      const [event] = await repo().find({
        where: { action: 'request.commented', entityId: draft.id },
        order: { chainSeq: 'ASC' },
        take: 1,
      });
      for (const [column, value] of [
        ['requestId', 'forged-request'],
        ['ip', '10.9.8.7'],
        ['createdAt', mysql ? '2020-01-01 00:00:00.000' : '2020-01-01 00:00:00.000'],
      ] as const) {
        await tampered(
          async () => {
            await testApp.dataSource.query(
              `UPDATE ${quoteName('audit_events')} SET ${quoteName(column)} = ? WHERE ${quoteName('id')} = ?`,
              [value, event.id],
            );
            return async () => {
              await repo().update({ id: event.id }, { [column]: event[column] });
            };
          },
          (r) => expect(r.breaks).toContainEqual(expect.objectContaining({ eventId: event.id, kind: 'HASH_MISMATCH' })),
        );
      }
      // Claiming the old formula (which ignored actorEmail) does not make a rewrite pass.
      await tampered(
        async () => {
          await testApp.dataSource.query(
            `UPDATE ${quoteName('audit_events')} SET ${quoteName('hashVersion')} = 1, ${quoteName('actorEmail')} = ? WHERE ${quoteName('id')} = ?`,
            ['forged@example.test', event.id],
          );
          return async () => {
            await repo().update({ id: event.id }, { hashVersion: event.hashVersion, actorEmail: event.actorEmail });
          };
        },
        (r) => expect(r.breaks.map((b) => b.kind)).toContain('HASH_MISMATCH'),
      );
    });

    it('reports the newest event of a chain deleted', async () => {
      const [newest] = await repo().find({
        where: { entityType: 'ToolRequest', entityId: draft.id },
        order: { chainSeq: 'DESC' },
        take: 1,
      });
      await tampered(
        () => deleteEvent(newest),
        (report) => {
          expect(report.breaks).toEqual([expect.objectContaining({ chain: newest.chain, kind: 'TRUNCATED' })]);
        },
      );
    });

    it('reports an event in the middle of a chain deleted, and a whole chain deleted', async () => {
      const chain = await repo().find({ where: { entityType: 'ToolRequest', entityId: draft.id }, order: { chainSeq: 'ASC' } });
      expect(chain.length).toBeGreaterThan(3);
      await tampered(
        () => deleteEvent(chain[1]),
        (report) => {
          expect(report.breaks).toEqual([expect.objectContaining({ chain: chain[1].chain, kind: 'SEQUENCE_GAP' })]);
        },
      );
      const [vendorEvent] = await repo().find({ where: { action: 'vendor.created' }, take: 1 });
      await tampered(
        () => deleteEvent(vendorEvent),
        (report) => {
          expect(report.breaks).toEqual([expect.objectContaining({ chain: vendorEvent.chain, kind: 'TRUNCATED' })]);
        },
      );
    });

    it('reports a deleted event that had no entity (a refusal), newest of its chain or not', async () => {
      // Enough refusals that their chains (a few per entity type) hold more than one event each.
      for (let i = 0; i < 40; i++) await testApp.http().post('/api/v1/users').set(cast.cio.auth).send({}).expect(403);
      const refusals = await repo().find({
        where: { action: 'authz.denied', entityType: 'Route' },
        order: { chain: 'ASC', chainSeq: 'ASC' },
      });
      expect(refusals.every((e) => e.entityId === null && e.chain?.startsWith('Route/~'))).toBe(true);
      const newestOf = (e: AuditEvent) => !refusals.some((x) => x.chain === e.chain && x.chainSeq! > e.chainSeq!);
      const newest = refusals.find(newestOf)!;
      const inner = refusals.find((e) => !newestOf(e))!;
      await tampered(
        () => deleteEvent(newest),
        (report) => {
          expect(report.breaks).toEqual([expect.objectContaining({ chain: newest.chain, kind: 'TRUNCATED' })]);
        },
      );
      await tampered(
        () => deleteEvent(inner),
        (report) => {
          expect(report.breaks).toEqual([expect.objectContaining({ chain: inner.chain, kind: 'SEQUENCE_GAP' })]);
        },
      );
    });

    it('reports a checkpoint moved back to hide a deleted newest event only as far as the hashes allow', async () => {
      const chain = await repo().find({ where: { entityType: 'ToolRequest', entityId: draft.id }, order: { chainSeq: 'ASC' } });
      const newest = chain[chain.length - 1];
      const cp = await testApp.dataSource.getRepository(AuditCheckpoint).findOneByOrFail({ chain: newest.chain! });
      // Deleting the newest event and pointing the checkpoint at the one before, without its hash, is reported.
      await tampered(
        async () => {
          const undoDelete = await deleteEvent(newest);
          await testApp.dataSource.getRepository(AuditCheckpoint).update({ chain: cp.chain }, { headSeq: cp.headSeq - 1 });
          return async () => {
            await undoDelete();
            await testApp.dataSource.getRepository(AuditCheckpoint).update({ chain: cp.chain }, { headSeq: cp.headSeq });
          };
        },
        (r) => expect(r.breaks).toEqual([expect.objectContaining({ chain: newest.chain, kind: 'HEAD_MISMATCH' })]),
      );
    });
  });

  describe('chains under concurrent writers', () => {
    it('keeps one unforked chain per entity and per refusal shard with 20 parallel writes each, and verifies ok', async () => {
      const reviewers = await Promise.all(Array.from({ length: 4 }, () => makeUser(testApp, [Role.CMO])));
      const before = await repo().count({ where: { action: 'request.commented', entityId: draft.id } });
      const comments = Array.from({ length: 20 }, (_, i) =>
        testApp
          .http()
          .post(`/api/v1/requests/${draft.id}/comments`)
          .set(reviewers[i % 4].auth)
          .send({ body: `parallel ${i}` }),
      );
      const refusals = Array.from({ length: 20 }, (_, i) =>
        testApp
          .http()
          .post('/api/v1/cost-centers')
          .set(reviewers[i % 4].auth)
          .send({}),
      );
      const answers = await Promise.all([...comments, ...refusals]);
      expect(answers.map((a) => a.status)).toEqual([...Array(20).fill(201), ...Array(20).fill(403)]);
      const chain = await repo().find({ where: { entityType: 'ToolRequest', entityId: draft.id }, order: { chainSeq: 'ASC' } });
      expect(chain.filter((e) => e.action === 'request.commented')).toHaveLength(before + 20);
      expect(chain.map((e) => e.chainSeq)).toEqual(chain.map((_, i) => i + 1));
      expect(await verify()).toMatchObject({ ok: true, breaks: [] });
    });

    it('chains and anchors bulk-written events (imports) like single ones, and verifies across pages', async () => {
      const audit = testApp.app.get(AuditService);
      const fresh = Array.from({ length: 1100 }, (_, i) => ({
        action: 'bulk.created',
        entityType: 'Vendor',
        entityId: randomUUID(),
        metadata: { i },
      }));
      const unbound = Array.from({ length: 40 }, () => ({ action: 'bulk.noted', entityType: 'Route', entityId: null }));
      await testApp.dataSource.transaction((m) => audit.recordMany(m, [...fresh, ...unbound], { newEntities: true }));
      // Existing chains (the request's and the new ones) and events without an entity, in one batch.
      const more = [
        ...fresh.slice(0, 3).map((f) => ({ ...f, action: 'bulk.updated' })),
        { action: 'bulk.updated', entityType: 'ToolRequest', entityId: draft.id },
        { action: 'bulk.noted', entityType: 'Route', entityId: null },
      ];
      await testApp.dataSource.transaction((m) => audit.recordMany(m, [...more, ...more]));
      const [again] = await repo().find({
        where: { entityType: 'Vendor', entityId: fresh[0].entityId },
        order: { chainSeq: 'DESC' },
        take: 1,
      });
      expect(again.chainSeq).toBe(3);
      const report = await verify();
      expect(report).toEqual({ ok: true, checked: await repo().count(), breaks: [] });
      expect(report.checked).toBeGreaterThan(1100); // more than one page of 1,000
    });
  });
});
