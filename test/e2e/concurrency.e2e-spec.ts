import { In } from 'typeorm';
import { AuditEvent } from '@stackgate/audit';
import { LedgerEntry } from '@stackgate/finance';
import { Role } from '@stackgate/platform';
import { ReviewStage } from '@stackgate/procurement';
import { makeCostCenter, makeTool, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { totalsDrift } from '@stackgate/finance';
import { auditChainProblems, ContractBody, contractRows, expectedTotals, SpendBody, toMinor, ToolBody } from '../support/ledger-model';
import { makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import { startTestApp, TEST_ENGINE, TestApp } from '../support/test-app';

/*
 * Many writers at once on one record or one tool (SPEC §3 "two concurrent decisions on one stage:
 * exactly one succeeds", §4 ledger written in the same transaction as its source). On MariaDB the
 * requests really overlap on a connection pool; on SQLite the driver runs transactions one at a
 * time, so the same assertions check that the serialised order still yields one winner and a
 * ledger that matches its sources.
 */

const expectIntactChain = (events: AuditEvent[]) => {
  expect(events.length).toBeGreaterThan(0);
  expect(auditChainProblems(events)).toEqual([]);
};

describe(`Concurrency: one winner, no lost update, a ledger that matches its sources (${TEST_ENGINE})`, () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let setup: RequestSetup;

  beforeAll(async () => {
    testApp = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00', DB_POOL_SIZE: '10' });
    cast = await makeCast(testApp);
    const cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    setup = { costCenterId: cc.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars', cast.cmo) };
  });
  afterAll(async () => testApp?.close());

  const chainOf = (entityType: string, entityId: string) =>
    testApp.dataSource.getRepository(AuditEvent).find({ where: { entityType, entityId }, order: { chainSeq: 'ASC' } });
  const getRequest = async (id: string) => (await testApp.http().get(`/api/v1/requests/${id}`).set(cast.cio.auth).expect(200)).body;

  describe('twenty parallel decisions on one stage', () => {
    it('the same CMO sending the same decision twenty times: one 200, nineteen 409, one decision, one transition, one audit event', async () => {
      const request = await makeRequest(testApp, cast.marketer, setup);
      const submitted = await submit(testApp, cast.marketer, request.id);
      const body = { version: submitted.version, stage: 'MARKETING', decision: 'APPROVE', comment: 'Fits the plan' };
      const results = await Promise.all(
        Array.from({ length: 20 }, () => testApp.http().post(`/api/v1/requests/${request.id}/decisions`).set(cast.cmo.auth).send(body)),
      );

      expect(results.filter((x) => x.status === 200)).toHaveLength(1);
      const losers = results.filter((x) => x.status !== 200);
      expect(losers.map((x) => x.status)).toEqual(Array(19).fill(409));
      for (const response of losers) {
        expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
        expect(typeof response.body.message).toBe('string');
        expect(response.body.requestId).toBeTruthy();
      }

      const after = await getRequest(request.id);
      expect(after).toMatchObject({ status: 'IN_REVIEW', currentStage: 'IT', version: submitted.version + 1 });
      expect(after.stages.map((s: { stage: string; status: string }) => `${s.stage}:${s.status}`)).toEqual([
        'MARKETING:APPROVED',
        'IT:OPEN',
        'FINANCE:PENDING',
      ]);
      const stages = await testApp.dataSource.getRepository(ReviewStage).find({ where: { requestId: request.id } });
      expect(stages.filter((s) => s.decidedById)).toHaveLength(1);
      expect(stages.find((s) => s.stage === ('MARKETING' as never))!.decidedById).toBe(cast.cmo.id);
      const chain = await chainOf('ToolRequest', request.id);
      expect(chain.filter((e) => e.action === 'request.decided')).toHaveLength(1);
      expectIntactChain(chain);
    });

    it(
      'twenty mixed deciders with mixed decisions: one wins, the other CMOs get 409, wrong roles and the requester get 403, and ' +
        "the request shows only the winner's decision",
      async () => {
        const requester = await makeUser(testApp, [Role.CMO]);
        const request = await makeRequest(testApp, requester, setup);
        const submitted = await submit(testApp, requester, request.id);
        const cmos = await Promise.all(Array.from({ length: 12 }, () => makeUser(testApp, [Role.CMO])));
        const cios = await Promise.all(Array.from({ length: 3 }, () => makeUser(testApp, [Role.CIO])));
        const finance = await Promise.all(Array.from({ length: 2 }, () => makeUser(testApp, [Role.FINANCE])));
        const decisions = [
          { decision: 'APPROVE' },
          { decision: 'APPROVE_WITH_CONDITIONS', conditions: 'EU hosting only' },
          { decision: 'REJECT', comment: 'Not this year' },
          { decision: 'REQUEST_CHANGES', comment: 'Add the KPIs' },
        ];
        // 12 CMOs (may decide), 3 CIOs and 2 FINANCE (wrong role for MARKETING), the requester twice (own request), one marketer (route closed).
        const callers: { user: TestUser; expect: number[]; audited: boolean }[] = [
          ...cmos.map((user) => ({ user, expect: [200, 409], audited: false })),
          ...[...cios, ...finance].map((user) => ({ user, expect: [403], audited: true })),
          { user: requester, expect: [403], audited: true },
          { user: requester, expect: [403], audited: true },
          { user: cast.marketer, expect: [403], audited: false },
        ];
        expect(callers).toHaveLength(20);
        const results = await Promise.all(
          callers.map((c, i) =>
            testApp
              .http()
              .post(`/api/v1/requests/${request.id}/decisions`)
              .set(c.user.auth)
              .send({ version: submitted.version, stage: 'MARKETING', ...decisions[i % decisions.length] }),
          ),
        );

        results.forEach((res, index) => {
          expect(callers[index].expect).toContain(res.status);
          if (res.status !== 200)
            expect(res.body).toMatchObject({ statusCode: res.status, error: res.status === 403 ? 'Forbidden' : 'Conflict' });
        });
        const winners = results.map((res, i) => ({ res, i })).filter((x) => x.res.status === 200);
        expect(winners).toHaveLength(1);
        expect(results.filter((x) => x.status === 409)).toHaveLength(11);
        expect(results.filter((x) => x.status === 403)).toHaveLength(8);

        const { i: winner } = winners[0];
        const chosen = decisions[winner % decisions.length];
        const expected: Record<string, { status: string; currentStage: string | null; stages: string[] }> = {
          APPROVE: { status: 'IN_REVIEW', currentStage: 'IT', stages: ['MARKETING:APPROVED', 'IT:OPEN', 'FINANCE:PENDING'] },
          APPROVE_WITH_CONDITIONS: {
            status: 'IN_REVIEW',
            currentStage: 'IT',
            stages: ['MARKETING:APPROVED_WITH_CONDITIONS', 'IT:OPEN', 'FINANCE:PENDING'],
          },
          REJECT: { status: 'REJECTED', currentStage: null, stages: ['MARKETING:REJECTED', 'IT:CANCELLED', 'FINANCE:CANCELLED'] },
          REQUEST_CHANGES: {
            status: 'CHANGES_REQUESTED',
            currentStage: null,
            stages: ['MARKETING:CHANGES_REQUESTED', 'IT:CANCELLED', 'FINANCE:CANCELLED'],
          },
        };
        const after = await getRequest(request.id);
        const want = expected[chosen.decision];
        expect(after).toMatchObject({ status: want.status, currentStage: want.currentStage, version: submitted.version + 1 });
        expect(after.stages.map((s: { stage: string; status: string }) => `${s.stage}:${s.status}`)).toEqual(want.stages);
        const marketing = after.stages.find((s: { stage: string }) => s.stage === 'MARKETING');
        expect(marketing).toMatchObject({ decidedById: callers[winner].user.id, decision: chosen.decision });
        expect(winners[0].res.body.stages.find((s: { stage: string }) => s.stage === 'MARKETING').decidedById).toBe(
          callers[winner].user.id,
        );

        const stages = await testApp.dataSource.getRepository(ReviewStage).find({ where: { requestId: request.id } });
        expect(stages.filter((s) => s.decidedById).map((s) => s.decidedById)).toEqual([callers[winner].user.id]);
        const chain = await chainOf('ToolRequest', request.id);
        const decided = chain.filter((e) => e.action === 'request.decided');
        expect(decided).toHaveLength(1);
        expect(decided[0].actorId).toBe(callers[winner].user.id);
        // Every refusal the service made (wrong role, own request) is in the request's audit trail; the marketer was stopped at the route.
        expect(chain.filter((e) => e.action === 'authz.denied')).toHaveLength(callers.filter((c) => c.audited).length);
        expectIntactChain(chain);
      },
    );
  });

  describe('the ledger under concurrent writes', () => {
    let ccs: { id: string }[];
    let tool: ToolBody;

    beforeAll(async () => {
      ccs = [
        await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' }),
        await makeCostCenter(testApp, cast.admin, { kind: 'IT' }),
        await makeCostCenter(testApp, cast.admin, { kind: 'OTHER' }),
      ];
      tool = await makeTool(testApp, cast.it, {
        budgetOwnerId: ccs[0].id,
        allocation: [
          { costCenterId: ccs[0].id, shareBps: 3334 },
          { costCenterId: ccs[1].id, shareBps: 3333 },
          { costCenterId: ccs[2].id, shareBps: 3333 },
        ],
      });
    });

    const ledgerOf = async (sourceId: string) =>
      (await testApp.dataSource.getRepository(LedgerEntry).find({ where: { sourceId } }))
        .map((r) => `${r.month}|${r.costCenterId}|${r.amountMinor}`)
        .sort();

    it(
      'ten concurrent edits of one contract with the same version: one wins, nine get 409, no lost update, the ledger is ' +
        "exactly the winner's terms",
      async () => {
        const created = await testApp
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
        expect(await ledgerOf(created.body.id)).toEqual(contractRows(created.body));
        const billings = ['MONTHLY', 'QUARTERLY', 'ANNUAL', 'ONE_TIME'] as const;
        const edits = Array.from({ length: 10 }, (_, index) => {
          const billing = billings[index % 4];
          const termMonths = billing === 'ANNUAL' ? 24 : billing === 'QUARTERLY' ? 3 * (index + 1) : index + 2;
          return {
            version: created.body.version,
            amount: { amount: `${1234 + index * 111}.${String(7 + index * 9).padStart(2, '0')}`, currency: 'EUR' },
            termMonths,
            billing,
            reference: `edit-${index}`,
          };
        });
        const results = await Promise.all(
          edits.map((e) => testApp.http().patch(`/api/v1/contracts/${created.body.id}`).set(cast.finance.auth).send(e)),
        );

        const won = results.map((res, i) => ({ res, i })).filter((x) => x.res.status === 200);
        expect(won).toHaveLength(1);
        const losers = results.filter((x) => x.status !== 200);
        expect(losers.map((x) => x.status)).toEqual(Array(9).fill(409));
        for (const response of losers) expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict' });

        const edit = edits[won[0].i];
        const stored = (await testApp.http().get(`/api/v1/contracts/${created.body.id}`).set(cast.finance.auth).expect(200)).body;
        expect(stored).toMatchObject({
          amount: edit.amount,
          termMonths: edit.termMonths,
          billing: edit.billing,
          reference: edit.reference,
          version: created.body.version + 1,
        });
        expect(stored).toEqual(won[0].res.body);
        const rows = await ledgerOf(created.body.id);
        expect(rows).toEqual(contractRows(stored));
        const chain = await chainOf('Contract', created.body.id);
        expect(chain.map((e) => e.action)).toEqual(['contract.created', 'contract.updated']);
        expectIntactChain(chain);
      },
    );

    it(
      'fifty mixed creates, edits and deletes of contracts and spend entries at once: the ledger totals equal what the ' +
        'surviving records produce',
      async () => {
        const fin = cast.finance;
        // Fresh cost centers and tools, so only the burst's records are on them.
        const ccs = [
          await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' }),
          await makeCostCenter(testApp, cast.admin, { kind: 'IT' }),
          await makeCostCenter(testApp, cast.admin, { kind: 'OTHER' }),
        ];
        const tool = await makeTool(testApp, cast.it, {
          budgetOwnerId: ccs[0].id,
          allocation: [
            { costCenterId: ccs[0].id, shareBps: 2500 },
            { costCenterId: ccs[1].id, shareBps: 2500 },
            { costCenterId: ccs[2].id, shareBps: 5000 },
          ],
        });
        const tool2 = await makeTool(testApp, cast.it, { budgetOwnerId: ccs[1].id });
        const tools = new Map([tool, tool2].map((x) => [x.id, x]));
        const contract = (toolId: string, i: number, over: Record<string, unknown> = {}) => ({
          toolId,
          startDate: `2026-0${1 + (i % 9)}-01`,
          termMonths: 3 + (i % 10),
          billing: ['MONTHLY', 'QUARTERLY', 'ANNUAL', 'ONE_TIME'][i % 4],
          amount: { amount: `${100 + i * 37}.${String(i % 100).padStart(2, '0')}`, currency: 'EUR' },
          ...over,
        });
        const spend = (toolId: string, i: number, over: Record<string, unknown> = {}) => ({
          toolId,
          date: `2026-${String(1 + (i % 12)).padStart(2, '0')}-1${i % 9}`,
          costType: ['LICENSE', 'OPERATIONS', 'TRAINING'][i % 3],
          amount: { amount: `${i % 5 === 4 ? '-' : ''}${10 + i * 13}.${String((i * 7) % 100).padStart(2, '0')}`, currency: 'EUR' },
          ...over,
        });
        const post = async (path: string, body: object) => {
          const res = await testApp.http().post(`/api/v1/${path}`).set(fin.auth).send(body);
          if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
          return res.body;
        };
        // Existing records the burst edits and deletes.
        const toEdit: ContractBody[] = [];
        for (let i = 0; i < 6; i++) toEdit.push(await post('contracts', contract(i % 2 ? tool2.id : tool.id, i)));
        const toDelete: ContractBody[] = [];
        for (let i = 0; i < 5; i++) toDelete.push(await post('contracts', contract(tool.id, 20 + i)));
        const spendToDelete: SpendBody[] = [];
        for (let i = 0; i < 8; i++) spendToDelete.push(await post('spend-entries', spend(i % 2 ? tool2.id : tool.id, 40 + i)));
        const inheritFrom = toEdit[0];

        const ops: { label: string; allowed: number[]; run: () => Promise<{ status: number; body: unknown }> }[] = [];
        const patch = (c: ContractBody, body: object) => () =>
          testApp
            .http()
            .patch(`/api/v1/contracts/${c.id}`)
            .set(fin.auth)
            .send({ version: c.version, ...body });
        for (let i = 0; i < 12; i++)
          ops.push({
            label: `create contract ${i}`,
            allowed: [201],
            run: () =>
              testApp
                .http()
                .post('/api/v1/contracts')
                .set(fin.auth)
                .send(
                  contract(
                    i % 3 ? tool.id : tool2.id,
                    60 + i,
                    i % 4 === 0
                      ? {
                          allocation: [
                            { costCenterId: ccs[2].id, shareBps: 7001 },
                            { costCenterId: ccs[0].id, shareBps: 2999 },
                          ],
                        }
                      : {},
                  ),
                ),
          });
        // Two edits race on each contract to edit (same version): one wins, one gets 409. The first contract's allocation changes,
        // while spend entries inheriting it are being posted.
        toEdit.forEach((contract, index) => {
          ops.push({
            label: `edit contract ${index}a`,
            allowed: [200, 409],
            run: patch(contract, { amount: { amount: `${500 + index}.01`, currency: 'EUR' }, termMonths: 6 + index }),
          });
          ops.push({
            label: `edit contract ${index}b`,
            allowed: [200, 409],
            run: patch(
              contract,
              index === 0
                ? {
                    allocation: [
                      { costCenterId: ccs[1].id, shareBps: 5000 },
                      { costCenterId: ccs[2].id, shareBps: 5000 },
                    ],
                  }
                : { billing: 'QUARTERLY', termMonths: 9 },
            ),
          });
        });
        // Spend posted against a contract that is being deleted either lands first (the delete is then refused with 409) or finds it gone (422).
        toDelete.forEach((contract, index) => {
          const raced = index >= 2;
          ops.push({
            label: `delete contract ${index}`,
            allowed: raced ? [204, 409] : [204],
            run: () => testApp.http().delete(`/api/v1/contracts/${contract.id}`).set(fin.auth),
          });
          if (raced)
            ops.push({
              label: `spend on deleted contract ${index}`,
              allowed: [201, 422],
              run: () =>
                testApp
                  .http()
                  .post('/api/v1/spend-entries')
                  .set(fin.auth)
                  .send(spend(tool.id, 90 + index, { contractId: contract.id })),
            });
        });
        for (let i = 0; i < 10; i++) {
          ops.push({
            label: `create spend ${i}`,
            allowed: [201],
            run: () =>
              testApp
                .http()
                .post('/api/v1/spend-entries')
                .set(fin.auth)
                .send(
                  spend(
                    i % 2 ? tool2.id : tool.id,
                    100 + i,
                    i % 3 === 0
                      ? {
                          allocation: [
                            { costCenterId: ccs[0].id, shareBps: 1 },
                            { costCenterId: ccs[1].id, shareBps: 9999 },
                          ],
                        }
                      : {},
                  ),
                ),
          });
        }
        for (let i = 0; i < 4; i++)
          ops.push({
            label: `spend inheriting contract 0 (${i})`,
            allowed: [201],
            run: () =>
              testApp
                .http()
                .post('/api/v1/spend-entries')
                .set(fin.auth)
                .send(spend(inheritFrom.toolId, 120 + i, { contractId: inheritFrom.id })),
          });
        spendToDelete.forEach((e, k) =>
          ops.push({
            label: `delete spend ${k}`,
            allowed: [204],
            run: () => testApp.http().delete(`/api/v1/spend-entries/${e.id}`).set(fin.auth),
          }),
        );
        expect(ops.length).toBeGreaterThanOrEqual(50);

        // Interleave the kinds so creates, edits and deletes really overlap.
        const order = ops.map((_, i) => i).sort((a, b) => ((a * 7919) % ops.length) - ((b * 7919) % ops.length));
        const results = await Promise.all(order.map((i) => ops[i].run()));
        const failures = results
          .map((res, k) => ({ op: ops[order[k]], res }))
          .filter(({ op, res }) => !op.allowed.includes(res.status))
          .map(({ op, res }) => `${op.label}: ${res.status} ${JSON.stringify(res.body)}`);
        expect(failures).toEqual([]);
        for (let index = 0; index < 6; index++) {
          const pair = results
            .filter((_, j) => ops[order[j]].label.startsWith(`edit contract ${index}`))
            .map((r) => r.status)
            .sort();
          expect(pair).toEqual([200, 409]);
        }
        const statusOf = (label: string) => results[order.findIndex((i) => ops[i].label === label)].status;
        for (let index = 2; index < 5; index++) {
          // Either the spend entry won (and the contract stays) or the delete won (and the spend entry was refused).
          expect([
            [201, 409],
            [422, 204],
          ]).toContainEqual([statusOf(`spend on deleted contract ${index}`), statusOf(`delete contract ${index}`)]);
        }

        // Read everything back over the API and recompute the ledger independently.
        const list = async <T>(path: string): Promise<T[]> => {
          const all: T[] = [];
          for (const forTool of [tool, tool2])
            all.push(
              ...(await testApp.http().get(`/api/v1/${path}?toolId=${forTool.id}&pageSize=200`).set(cast.cio.auth).expect(200)).body.items,
            );
          return all;
        };
        const contracts = await list<ContractBody>('contracts');
        const spendEntries = await list<SpendBody>('spend-entries');
        expect(contracts).toHaveLength(
          6 + 12 + 5 - results.filter((r, k) => ops[order[k]].label.startsWith('delete contract') && r.status === 204).length,
        );
        expect(spendEntries).toHaveLength(
          10 + 4 + results.filter((r, k) => ops[order[k]].label.startsWith('spend on deleted contract') && r.status === 201).length,
        );
        const contractIds = new Set(contracts.map((c) => c.id));
        for (const spend of spendEntries) if (spend.contractId) expect(contractIds.has(spend.contractId)).toBe(true);
        for (const contract of contracts) expect(await ledgerOf(contract.id)).toEqual(contractRows(contract));

        const expected = expectedTotals(contracts, spendEntries, tools);
        const rows = await testApp.dataSource.getRepository(LedgerEntry).find({ where: { toolId: In([tool.id, tool2.id]) } });
        const actual = new Map<string, bigint>();
        for (const entry of rows)
          actual.set(
            `${entry.month}|${entry.costCenterId}|${entry.basis}`,
            (actual.get(`${entry.month}|${entry.costCenterId}|${entry.basis}`) ?? 0n) + entry.amountMinor,
          );
        for (const [key, amount] of actual) if (amount === 0n) actual.delete(key);
        expect(Object.fromEntries([...actual].map(([k, v]) => [k, v.toString()]).sort())).toEqual(
          Object.fromEntries([...expected].map(([k, v]) => [k, v.toString()]).sort()),
        );
        // No ledger row without a surviving source.
        const sources = new Set([...contracts.map((c) => c.id), ...spendEntries.map((e) => e.id)]);
        expect(rows.filter((r) => !sources.has(r.sourceId))).toEqual([]);

        // The spend report (one GROUP BY over the ledger) agrees per cost center.
        for (const basis of ['committed', 'actual'] as const) {
          const report = (
            await testApp
              .http()
              .get(`/api/v1/reports/spend?from=2026-01&to=2029-12&basis=${basis}&groupBy=costCenter`)
              .set(cast.cio.auth)
              .expect(200)
          ).body;
          for (const cc of ccs) {
            const want = [...expected].filter(([k]) => k.endsWith(`|${cc.id}|${basis.toUpperCase()}`)).reduce((s, [, v]) => s + v, 0n);
            const row = report.rows.find((x: { key: string }) => x.key === cc.id);
            expect(row ? toMinor(row.total) : 0n).toBe(want);
          }
        }
        // ledger_totals (which that report reads) still sums exactly the ledger's rows.
        expect(await totalsDrift(testApp.dataSource.manager)).toEqual([]);
      },
    );
  });
});
