import { AuditEvent } from '@stackgate/audit';
import { Tool } from '@stackgate/catalog';
import { findById, insertRows, isUniqueViolation, uuidv7 } from '@stackgate/platform';
import { makeCostCenter, makeTool } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * insertRows, the bulk write of imports and audit trails: multi-row INSERTs on every engine, in a
 * transaction or not. It must store exactly the values given, refuse a duplicate key like an INSERT
 * and write nothing then.
 */
describe('insertRows', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => testApp?.close());

  // Text that tab-separated formats and SQL literals treat specially.
  const tricky = [
    'tab\there',
    'line\nbreak',
    'cr\r\nlf',
    'back\\slash',
    '\\N',
    'NULL',
    '',
    'nul\0byte',
    'ctrl-z\x1a',
    'quote \' " `',
    'emoji 👩🏽‍💻 “EMEA” ✓',
    ' padded ',
    '\\t literal',
  ];
  const events = (n: number, tag: string): AuditEvent[] =>
    Array.from({ length: n }, (_, index) => {
      const at = new Date(Date.UTC(2026, 0, 1, 12, 0, 0, index % 1000));
      const text = tricky[index % tricky.length];
      return Object.assign(new AuditEvent(), {
        id: uuidv7(),
        occurredAt: at,
        actorId: index % 3 ? null : uuidv7(),
        actorEmail: index % 4 ? `${text}@x` : null,
        action: `${tag}.${index}`,
        entityType: text.slice(0, 60),
        entityId: index % 5 ? uuidv7() : null,
        requestId: text,
        ip: index % 2 ? null : text.slice(0, 64),
        changes: index % 6 ? { name: { before: text, after: `${text}${index}` }, n: { before: index, after: -index / 4 } } : null,
        metadata: index % 7 ? { s: text, list: [text, null, true, 1.5] } : null,
        chainSeq: index % 2 ? index : null,
        prevHash: null,
        hash: 'h'.repeat(64),
        createdAt: at,
        updatedAt: at,
      });
    });
  const readBack = async (tag: string) =>
    (
      await testApp.dataSource
        .getRepository(AuditEvent)
        .createQueryBuilder('e')
        .where('e.action LIKE :a', { a: `${tag}.%` })
        .getMany()
    )
      .map(({ id: _id, action, ...rest }) => ({ n: Number(action.split('.')[1]), ...rest }))
      .sort((a, b) => a.n - b.n);

  it('stores the same values through a transaction as without one, across chunks', async () => {
    const original = events(1205, 'bulk-a');
    // The same values under other keys (id, action, and entityId: the chain's unique key).
    const copy = events(1205, 'bulk-b').map((e, i) =>
      Object.assign(e, { ...original[i], id: e.id, action: e.action, entityId: original[i].entityId && e.entityId }),
    );
    await testApp.dataSource.transaction((m) => insertRows(m, AuditEvent, original));
    await insertRows(testApp.dataSource.manager, AuditEvent, copy); // no transaction
    const [ra, rb] = [await readBack('bulk-a'), await readBack('bulk-b')];
    expect(ra).toHaveLength(1205);
    const noEntity = (rows: typeof ra) => rows.map(({ entityId, ...rest }) => ({ ...rest, entity: entityId !== null }));
    expect(noEntity(ra)).toEqual(noEntity(rb));
    // …and what was written is what was given.
    expect(ra).toEqual(original.map(({ id: _id, action, ...rest }) => ({ n: Number(action.split('.')[1]), ...rest })));
  });

  it('writes tools (booleans, bigint, JSON, dates, nulls) exactly as built', async () => {
    const cast = await makeCast(testApp);
    const cc = await makeCostCenter(testApp, cast.admin);
    const made = await makeTool(testApp, cast.cio, {
      budgetOwnerId: cc.id,
      description: 'multi\nline\twith \\ and “quotes”',
      capabilities: ['email', 'sms'],
      ssoEnabled: true,
      hostingRegion: 'EU',
      allocation: [{ costCenterId: cc.id, shareBps: 10000 }],
      licensedSeats: 25,
      website: 'https://example.com/a\\b',
    });
    const original = (await findById(testApp.dataSource.manager, Tool, made.id))!;
    const copies = [true, false].map((flag, i) =>
      Object.assign(new Tool(), {
        ...original,
        id: uuidv7(),
        name: `${original.name} copy ${i}`,
        nameKey: `${original.nameKey} copy ${i}`,
        isSystemOfRecord: flag,
        shadowIt: !flag,
        annualCostMinor: i ? null : 123456789012345n,
        annualCostCurrency: i ? null : 'EUR',
        itApprovalDecidedAt: new Date(Date.UTC(2026, 4, 6, 7, 8, 9, 123)),
      }),
    );
    await testApp.dataSource.transaction((m) => insertRows(m, Tool, copies));
    for (const copy of copies) expect(await findById(testApp.dataSource.manager, Tool, copy.id)).toEqual(copy);
  });

  it('refuses a duplicate key in a later chunk as a unique violation, and the transaction keeps none of the rows', async () => {
    const rows = events(1500, 'bulk-dup');
    rows[1300].id = rows[20].id;
    const err = await testApp.dataSource.transaction((m) => insertRows(m, AuditEvent, rows)).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(await readBack('bulk-dup')).toEqual([]);
  });
});
