import { In } from 'typeorm';
import { AuditEvent } from '@stackgate/audit';
import { CostCenterKind } from '@stackgate/catalog';
import { CostType, LedgerEntry, SpendEntriesService, SpendEntry, SpendInput, SpendSource, totalsDrift } from '@stackgate/finance';
import { AuthUser, DomainError, withTransaction } from '@stackgate/platform';
import { makeCast } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, money } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Imports write spend entries in batches (createManyInTransaction). A batch must write exactly what
 * creating each entry on its own writes: the entries, their ledger rows (split by the entry's, the
 * contract's or the tool's allocation), the totals and the audit events; and refuse whole.
 */
describe('Spend entries written in a batch', () => {
  let testApp: TestApp;
  let service: SpendEntriesService;
  let actor: AuthUser;
  let inputs: (tag: string) => SpendInput[];

  beforeAll(async () => {
    testApp = await startTestApp();
    const cast = await makeCast(testApp);
    actor = { id: cast.finance.id, email: cast.finance.email, roles: cast.finance.roles } as AuthUser;
    service = testApp.app.get(SpendEntriesService);
    const marketing = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING });
    const it = await makeCostCenter(testApp, { kind: CostCenterKind.IT });
    const vendor = await makeVendor(testApp);
    const split = await makeTool(testApp, {
      vendor,
      subcategory: 'SEO',
      budgetOwner: marketing,
      allocation: [
        { costCenterId: marketing.id, shareBps: 6667 },
        { costCenterId: it.id, shareBps: 3333 },
      ],
    });
    const owned = await makeTool(testApp, { vendor: await makeVendor(testApp), subcategory: 'Email Marketing', budgetOwner: it });
    const contract = await testApp
      .http()
      .post('/api/v1/contracts')
      .set(cast.finance.auth)
      .send({
        toolId: owned.id,
        vendorId: vendor.id,
        reference: 'BATCH-C1',
        startDate: '2026-01-01',
        termMonths: 12,
        billing: 'MONTHLY',
        amount: money('100.00'),
        allocation: [
          { costCenterId: it.id, shareBps: 5000 },
          { costCenterId: marketing.id, shareBps: 5000 },
        ],
      })
      .expect(201);
    const base = { contractId: null, costType: CostType.LICENSE, description: null, allocation: null };
    inputs = (tag) => [
      { ...base, date: '2026-03-05', toolId: split.id, amountMinor: 10001n, currency: 'EUR', externalRef: `${tag}-1` },
      {
        ...base,
        date: '2026-03-31',
        toolId: owned.id,
        amountMinor: 333n,
        currency: 'USD',
        externalRef: `${tag}-2`,
        contractId: contract.body.id,
      },
      {
        ...base,
        date: '2026-04-01',
        toolId: split.id,
        amountMinor: -2500n,
        currency: 'EUR',
        externalRef: `${tag}-3`,
        costType: CostType.TRAINING,
      },
      {
        ...base,
        date: '2026-04-15',
        toolId: owned.id,
        amountMinor: 99999n,
        currency: 'GBP',
        externalRef: null,
        description: 'own split',
        allocation: [
          { costCenterId: marketing.id, shareBps: 1 },
          { costCenterId: it.id, shareBps: 9999 },
        ],
      },
    ];
  });

  afterAll(async () => {
    await testApp?.close();
  });

  /** What was written for entries, without ids and times: entries, ledger rows and audit events, in input order. */
  const written = async (entries: SpendEntry[]) => {
    const ids = entries.map((entry) => entry.id);
    const manager = testApp.dataSource.manager;
    const stored = await manager.getRepository(SpendEntry).findBy({ id: In(ids) });
    const ledger = await manager.getRepository(LedgerEntry).findBy({ sourceId: In(ids) });
    const events = await manager.getRepository(AuditEvent).findBy({ entityId: In(ids) });
    return ids.map((id) => {
      const entry = stored.find((row) => row.id === id)!;
      const { id: _id, createdAt: _c, updatedAt: _u, externalRef, ...fields } = entry;
      return {
        entry: { ...fields, hasRef: externalRef !== null },
        ledger: ledger
          .filter((row) => row.sourceId === id)
          .map(({ id: _rowId, sourceId: _s, createdAt: _rc, updatedAt: _ru, ...row }) => row)
          .sort((a, b) => a.costCenterId.localeCompare(b.costCenterId)),
        audit: events
          .filter((event) => event.entityId === id)
          .map((event) => {
            const changes = { ...event.changes };
            delete changes.id;
            delete changes.externalRef;
            return { action: event.action, actorId: event.actorId, changes, metadata: event.metadata };
          }),
      };
    });
  };

  it('writes the same entries, ledger rows, totals and audit events as one create per entry', async () => {
    const one = [];
    for (const input of inputs('ONE'))
      one.push(await withTransaction(testApp.dataSource, (m) => service.createInTransaction(m, actor, input, SpendSource.IMPORT)));
    const batch = await withTransaction(testApp.dataSource, (m) =>
      service.createManyInTransaction(m, actor, inputs('MANY'), SpendSource.IMPORT),
    );
    expect(batch.map((entry) => entry.externalRef)).toEqual(['MANY-1', 'MANY-2', 'MANY-3', null]);
    const expected = await written(one);
    expect(expected.map((e) => e.ledger.length)).toEqual([2, 2, 2, 2]);
    expect(await written(batch)).toEqual(expected);
    expect(await totalsDrift(testApp.dataSource.manager)).toEqual([]);
  });

  it('refuses the whole batch for a taken or repeated reference, an unknown tool or contract, and writes nothing', async () => {
    const count = () => testApp.dataSource.getRepository(SpendEntry).count();
    const before = await count();
    const attempt = (batch: SpendInput[]) =>
      withTransaction(testApp.dataSource, (m) => service.createManyInTransaction(m, actor, batch, SpendSource.IMPORT)).then(
        () => null,
        (err: DomainError) => [err.status, err.message],
      );
    const fresh = inputs('REFUSED');
    expect(await attempt([fresh[0], { ...fresh[1], externalRef: 'MANY-2' }])).toEqual([409, expect.stringContaining('MANY-2')]);
    expect(await attempt([fresh[0], { ...fresh[2], externalRef: 'REFUSED-1' }])).toEqual([409, expect.stringContaining('REFUSED-1')]);
    expect(await attempt([fresh[0], { ...fresh[2], toolId: '01900000-0000-7000-8000-000000000000' }])).toEqual([
      422,
      expect.stringContaining('does not exist'),
    ]);
    expect(await attempt([fresh[0], { ...fresh[1], contractId: '01900000-0000-7000-8000-000000000001' }])).toEqual([
      422,
      expect.stringContaining('does not exist'),
    ]);
    expect(await attempt([fresh[0], { ...fresh[1], toolId: fresh[0].toolId }])).toEqual([422, 'The contract belongs to another tool']);
    expect(await count()).toBe(before);
    expect(await totalsDrift(testApp.dataSource.manager)).toEqual([]);
  });
});
