import { AuditService } from '@stackgate/audit';
import { CatalogQueries, CostCenter, CostCenterKind, Lifecycle } from '@stackgate/catalog';
import { PeopleDirectory, User } from '@stackgate/identity';
import { Role, uuidv7, withTransaction } from '@stackgate/platform';
import { makeUser } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 22 §1: the reads a lib exports so that others never query its tables — batched over
 * long id lists, reading inside the caller's transaction, answering typed results.
 */
describe('Reads libs export to each other', () => {
  let testApp: TestApp;
  const unknownIds = (n: number) => Array.from({ length: n }, () => uuidv7());
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => testApp?.close());

  describe('PeopleDirectory (identity)', () => {
    it('finds existing accounts among more ids than one IN list holds, inactive ones included', async () => {
      const [activeUser, inactiveUser] = [await makeUser(testApp, [Role.MARKETER]), await makeUser(testApp, [Role.IT])];
      await testApp.dataSource.getRepository(User).update({ id: inactiveUser.id }, { active: false });
      const people = testApp.app.get(PeopleDirectory);
      const ids = [...unknownIds(700), activeUser.id, inactiveUser.id, activeUser.id];
      expect(await people.existingIds(ids)).toEqual(new Set([activeUser.id, inactiveUser.id]));
      const facts = await people.facts(ids);
      expect([...facts.keys()].sort()).toEqual([activeUser.id, inactiveUser.id].sort());
      expect(facts.get(inactiveUser.id)).toEqual({
        id: inactiveUser.id,
        email: inactiveUser.email,
        displayName: expect.any(String),
        active: false,
      });
    });

    it('lists the active holders of any of some roles once each, by e-mail', async () => {
      const both = await makeUser(testApp, [Role.CMO, Role.CIO], { email: 'zz-both@example.test' });
      const cmo = await makeUser(testApp, [Role.CMO], { email: 'aa-cmo@example.test' });
      const gone = await makeUser(testApp, [Role.CIO], { email: 'mm-gone@example.test' });
      await makeUser(testApp, [Role.FINANCE], { email: 'bb-finance@example.test' });
      await testApp.dataSource.getRepository(User).update({ id: gone.id }, { active: false });
      const holders = await testApp.app.get(PeopleDirectory).activeWithRoles([Role.CMO, Role.CIO]);
      expect(holders).toEqual([
        { id: cmo.id, email: cmo.email },
        { id: both.id, email: both.email },
      ]);
      expect(await testApp.app.get(PeopleDirectory).activeWithRoles([])).toEqual([]);
    });

    it('answers an account as an actor with its roles, and null for an unknown id', async () => {
      const user = await makeUser(testApp, [Role.IT, Role.CIO], { displayName: 'Ida Actor' });
      const actor = await testApp.app.get(PeopleDirectory).actor(user.id);
      expect({ ...actor, roles: [...actor!.roles].sort() }).toEqual({
        id: user.id,
        email: user.email,
        displayName: 'Ida Actor',
        roles: [Role.CIO, Role.IT],
      });
      expect(await testApp.app.get(PeopleDirectory).actor(uuidv7())).toBeNull();
    });
  });

  describe('CatalogQueries (catalog)', () => {
    it('answers tool facts for more ids than one IN list holds, and a tool by its name whatever the case', async () => {
      const cc = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING });
      const vendor = await makeVendor(testApp);
      const tool = await makeTool(testApp, { name: 'Facts Tool', vendor, subcategory: 'SEO', budgetOwner: cc, isSystemOfRecord: true });
      const catalog = testApp.app.get(CatalogQueries);
      const facts = await catalog.toolFacts([...unknownIds(600), tool.id]);
      expect([...facts.keys()]).toEqual([tool.id]);
      expect(facts.get(tool.id)).toEqual({
        id: tool.id,
        name: 'Facts Tool',
        vendorId: vendor.id,
        categoryId: tool.categoryId,
        subcategoryId: tool.subcategoryId,
        lifecycle: Lifecycle.ACTIVE,
        itApprovalStatus: tool.itApprovalStatus,
        shadowIt: false,
        isSystemOfRecord: true,
        businessOwnerId: null,
        budgetOwnerId: cc.id,
        allocation: null,
        capabilities: [],
        createdById: null,
      });
      expect((await catalog.toolByName('  facts TOOL '))?.id).toBe(tool.id);
      expect(await catalog.toolByName('No Such Tool')).toBeNull();
      expect((await catalog.costCenterFacts([cc.id, ...unknownIds(3)])).get(cc.id)).toEqual({
        id: cc.id,
        code: cc.code,
        kind: cc.kind,
        ownerId: null,
        active: true,
      });
      expect(await catalog.existingVendorIds([vendor.id, ...unknownIds(501)])).toEqual(new Set([vendor.id]));
    });

    it("reads what the caller's transaction wrote when given its EntityManager", async () => {
      const cc = await makeCostCenter(testApp, { kind: CostCenterKind.IT });
      const seen = await withTransaction(testApp.dataSource, async (manager) => {
        await manager.getRepository(CostCenter).update({ id: cc.id }, { active: false });
        return (await testApp.app.get(CatalogQueries).costCenterFacts([cc.id], manager)).get(cc.id)?.active;
      });
      expect(seen).toBe(false);
    });
  });

  describe('AuditService.entityHistory (audit)', () => {
    it("pages one record's events, newest first, with the total", async () => {
      const audit = testApp.app.get(AuditService);
      const entityId = uuidv7();
      for (const action of ['thing.created', 'thing.updated', 'thing.retired'])
        await audit.record(undefined, { action, entityType: 'Thing', entityId });
      await audit.record(undefined, { action: 'thing.created', entityType: 'Thing', entityId: uuidv7() });
      const first = await audit.entityHistory('Thing', entityId, { skip: 0, take: 2 });
      const second = await audit.entityHistory('Thing', entityId, { skip: 2, take: 2 });
      expect(first.total).toBe(3);
      expect([...first.items, ...second.items].map((e) => e.action)).toEqual(['thing.retired', 'thing.updated', 'thing.created']);
      expect(Object.keys(first.items[0]).sort()).toEqual(['action', 'actorEmail', 'actorId', 'changes', 'id', 'metadata', 'occurredAt']);
    });
  });
});
