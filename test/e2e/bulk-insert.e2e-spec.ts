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
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => t?.close());

  // Text that tab-separated formats and SQL literals treat specially.
  const tricky = ['tab\there', 'line\nbreak', 'cr\r\nlf', 'back\\slash', '\\N', 'NULL', '', 'nul\0byte', 'ctrl-z\x1a', "quote ' \" `", 'emoji 👩🏽‍💻 “EMEA” ✓', ' padded ', '\\t literal'];
  const events = (n: number, tag: string): AuditEvent[] => Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.UTC(2026, 0, 1, 12, 0, 0, i % 1000));
    const s = tricky[i % tricky.length];
    return Object.assign(new AuditEvent(), {
      id: uuidv7(), occurredAt: at, actorId: i % 3 ? null : uuidv7(), actorEmail: i % 4 ? `${s}@x` : null, action: `${tag}.${i}`,
      entityType: s.slice(0, 60), entityId: i % 5 ? uuidv7() : null, requestId: s, ip: i % 2 ? null : s.slice(0, 64),
      changes: i % 6 ? { name: { before: s, after: `${s}${i}` }, n: { before: i, after: -i / 4 } } : null,
      metadata: i % 7 ? { s, list: [s, null, true, 1.5] } : null, chainSeq: i % 2 ? i : null, prevHash: null, hash: 'h'.repeat(64), createdAt: at, updatedAt: at,
    });
  });
  const readBack = async (tag: string) => (await t.dataSource.getRepository(AuditEvent).createQueryBuilder('e').where('e.action LIKE :a', { a: `${tag}.%` }).getMany())
    .map(({ id: _id, action, ...rest }) => ({ n: Number(action.split('.')[1]), ...rest }))
    .sort((a, b) => a.n - b.n);

  it('stores the same values through a transaction as without one, across chunks', async () => {
    const a = events(1205, 'bulk-a');
    // The same values under other keys (id, action, and entityId: the chain's unique key).
    const b = events(1205, 'bulk-b').map((e, i) => Object.assign(e, { ...a[i], id: e.id, action: e.action, entityId: a[i].entityId && e.entityId }));
    await t.dataSource.transaction((m) => insertRows(m, AuditEvent, a));
    await insertRows(t.dataSource.manager, AuditEvent, b); // no transaction
    const [ra, rb] = [await readBack('bulk-a'), await readBack('bulk-b')];
    expect(ra).toHaveLength(1205);
    const noEntity = (rows: typeof ra) => rows.map(({ entityId, ...rest }) => ({ ...rest, entity: entityId !== null }));
    expect(noEntity(ra)).toEqual(noEntity(rb));
    // …and what was written is what was given.
    expect(ra).toEqual(a.map(({ id: _id, action, ...rest }) => ({ n: Number(action.split('.')[1]), ...rest })));
  });

  it('writes tools (booleans, bigint, JSON, dates, nulls) exactly as built', async () => {
    const cast = await makeCast(t);
    const cc = await makeCostCenter(t, cast.admin);
    const made = await makeTool(t, cast.cio, {
      budgetOwnerId: cc.id, description: 'multi\nline\twith \\ and “quotes”', capabilities: ['email', 'sms'], ssoEnabled: true, hostingRegion: 'EU',
      allocation: [{ costCenterId: cc.id, shareBps: 10000 }], licensedSeats: 25, website: 'https://example.com/a\\b',
    });
    const original = (await findById(t.dataSource.manager, Tool, made.id))!;
    const copies = [true, false].map((flag, i) => Object.assign(new Tool(), {
      ...original, id: uuidv7(), name: `${original.name} copy ${i}`, nameKey: `${original.nameKey} copy ${i}`, isSystemOfRecord: flag, shadowIt: !flag,
      annualCostMinor: i ? null : 123456789012345n, annualCostCurrency: i ? null : 'EUR', itApprovalDecidedAt: new Date(Date.UTC(2026, 4, 6, 7, 8, 9, 123)),
    }));
    await t.dataSource.transaction((m) => insertRows(m, Tool, copies));
    for (const c of copies) expect(await findById(t.dataSource.manager, Tool, c.id)).toEqual(c);
  });

  it('refuses a duplicate key in a later chunk as a unique violation, and the transaction keeps none of the rows', async () => {
    const rows = events(1500, 'bulk-dup');
    rows[1300].id = rows[20].id;
    const err = await t.dataSource.transaction((m) => insertRows(m, AuditEvent, rows)).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(await readBack('bulk-dup')).toEqual([]);
  });
});
