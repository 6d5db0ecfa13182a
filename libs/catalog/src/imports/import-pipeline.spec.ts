import { DataSource, EntityManager, Logger } from 'typeorm';
import { PeopleDirectory } from '@stackgate/identity';
import { User, UserRole } from '../../../../test/support/entities';
import { AllocationShare, AuthUser, buildDataSourceOptions, insertRows, Role, uuidv7, withTransaction } from '@stackgate/platform';
import { CatalogQueries } from '../catalog-queries';
import { CostCenterKind, DataClassification, ItApprovalStatus, Lifecycle } from '../catalog.enums';
import { Category } from '../categories/category.entity';
import { CostCenter } from '../cost-centers/cost-center.entity';
import { Tool, ToolCapability } from '../tools/tool.entity';
import { Vendor } from '../vendors/vendor.entity';
import { allocationCodes, parseAllocationCell } from './cells';
import { ImportKind, ImportRow, KindLookup, ReferenceDeclaration, RowChange, RowContext, RowRead } from './import-kind';
import { ImportPipeline } from './import-pipeline';
import { ImportReferences, REFERENCE_CHUNK } from './import-references';
import { compareFields } from './row-changes';

/** Every SQL statement the DataSource runs, for counting queries per table. */
class StatementLog implements Logger {
  readonly statements: string[] = [];
  logQuery(query: string): void {
    this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
  /** SELECTs reading `table` since `from`. */
  selects(table: string, from = 0): number {
    return this.statements.slice(from).filter((s) => /^\s*SELECT/i.test(s) && s.includes(`FROM "${table}"`)).length;
  }
}

// ---------------------------------------------------------------------------------------------
// A kind declared here, as another lib would: seat licences of catalog tools, kept in memory.

interface LicenceRecord {
  toolId: string;
  ownerId?: string | null;
  seats?: number | null;
  costCenterId?: string;
  allocation?: AllocationShare[] | null;
}
interface StoredLicence {
  id: string;
  toolId: string;
  ownerId: string | null;
  seats: number | null;
  costCenterId?: string;
  allocation: AllocationShare[] | null;
  version: number;
}

class LicencesKind implements ImportKind<LicenceRecord, StoredLicence, string> {
  readonly kind = 'licences';
  readonly columns = [
    { name: 'tool', required: true, aliases: ['Application'] },
    { name: 'ownerEmail', aliases: ['Owner E-mail'] },
    { name: 'seats' },
    { name: 'costCenter' },
    { name: 'allocation' },
  ];
  readonly allowedRoles = [Role.ADMIN];
  readonly references: ReferenceDeclaration[] = [
    { column: 'tool', ref: 'tool-by-name' },
    { column: 'ownerEmail', ref: 'user-by-email' },
    { column: 'costCenter', ref: 'cost-center-by-code' },
    { column: 'allocation', ref: 'cost-center-by-code', keys: allocationCodes },
  ];
  readonly lookups: Record<string, KindLookup> = {
    existing: {
      keys: (row, refs) => [row.values.tool ? refs.get('tool-by-name', row.values.tool)?.id : undefined],
      load: async (_m, toolIds) => {
        this.loads.push(toolIds.length);
        return new Map(toolIds.filter((id) => this.store.has(id)).map((id) => [id, this.store.get(id)!]));
      },
    },
  };
  readonly compare = compareFields<LicenceRecord, StoredLicence>('ownerId', 'seats', 'costCenterId', {
    field: 'allocation',
    comparable: (v) => ((v as AllocationShare[] | null)?.length ? v : null),
  });
  commitChunk = 1000;
  planSlice?: number;
  outcome?: () => Promise<Record<string, unknown>>;

  readonly store = new Map<string, StoredLicence>();
  readonly loads: number[] = [];
  readonly writes: string[] = [];

  read(ctx: RowContext): RowRead<LicenceRecord, StoredLicence> | undefined {
    const reader = ctx.reader;
    const name = reader.text('tool', 200, true);
    const tool = name ? ctx.ref('tool-by-name', name) : undefined;
    if (name && !tool) reader.fail('tool', `unknown tool "${name}"`);
    let ownerId: string | null | undefined;
    const email = reader.text('ownerEmail', 254);
    if (email === null) ownerId = null;
    else if (email) {
      ownerId = ctx.ref('user-by-email', email)?.id;
      if (!ownerId) reader.fail('ownerEmail', `no user with e-mail ${email}`);
    }
    const seats = reader.int('seats', 0, 1000);
    const code = reader.text('costCenter', 40);
    const center = code ? ctx.ref('cost-center-by-code', code) : undefined;
    if (code && !center) reader.fail('costCenter', `unknown cost center ${code}`);
    const allocation = parseAllocationCell(reader, 'allocation', (code) => ctx.ref('cost-center-by-code', code)?.id);
    if (tool) {
      const first = ctx.firstRow('tool', tool.id);
      if (first) reader.fail('tool', `${tool.name} also in row ${first}`);
    }
    if (reader.errors.length || !tool) return undefined;
    if (tool.lifecycle === Lifecycle.SUNSETTING) ctx.note(`${tool.name} is being sunset`);
    return {
      record: { toolId: tool.id, ownerId, seats, costCenterId: center?.id, allocation },
      existing: ctx.lookup<StoredLicence>('existing', tool.id),
    };
  }

  async prepare(_m: EntityManager, _actor: AuthUser, records: LicenceRecord[]): Promise<string> {
    this.writes.push(`prepare ${records.length}`);
    return `chunk of ${records.length}`;
  }

  async create(_m: EntityManager, _actor: AuthUser, records: LicenceRecord[], context: string): Promise<void> {
    this.writes.push(`create ${records.length} (${context})`);
    for (const record of records)
      this.store.set(record.toolId, {
        id: uuidv7(),
        toolId: record.toolId,
        ownerId: record.ownerId ?? null,
        seats: record.seats ?? null,
        allocation: record.allocation ?? null,
        version: 1,
      });
  }

  async update(
    _m: EntityManager,
    _actor: AuthUser,
    { existing, changes }: RowChange<LicenceRecord, StoredLicence>,
    context: string,
  ): Promise<void> {
    this.writes.push(`update ${Object.keys(changes).join(',')} (${context})`);
    this.store.set(existing.toolId, { ...existing, ...changes, version: existing.version + 1 });
  }
}

// ---------------------------------------------------------------------------------------------

const admin: AuthUser = { id: 'admin', email: 'admin@example.test', displayName: 'Admin', roles: [Role.ADMIN] };

describe('ImportPipeline (a real SQLite database, a kind declared in the test)', () => {
  let ds: DataSource;
  let log: StatementLog;
  let pipeline: ImportPipeline;
  let kind: LicencesKind;
  const ids = { owner: '', other: '', mkt: '', it: '' };
  const now = new Date();

  const row = (n: number, values: Record<string, string>): ImportRow => ({ row: n + 2, values });
  const toolName = (i: number) => `Tool ${String(i).padStart(4, '0')}`;

  beforeAll(async () => {
    log = new StatementLog();
    ds = new DataSource({
      ...buildDataSourceOptions('sqlite::memory:', { entities: [Tool, ToolCapability, Vendor, Category, CostCenter, User, UserRole] }),
      synchronize: true,
      logger: log,
    });
    await ds.initialize();
    const base = () => ({ id: uuidv7(), createdAt: now, updatedAt: now, version: 1 });
    const users = ['owner@example.test', 'other@example.test'].map((email) => ({
      ...base(),
      email,
      displayName: email,
      passwordHash: 'x',
      active: true,
      tokenVersion: 0,
      lastLoginAt: null,
    }));
    await ds.getRepository(User).insert(users);
    [ids.owner, ids.other] = users.map((u) => u.id);
    const centers = [
      ['MKT', CostCenterKind.MARKETING],
      ['IT', CostCenterKind.IT],
    ].map(([code, k]) => ({ ...base(), code, name: code, kind: k as CostCenterKind, ownerId: null, active: true }));
    await ds.getRepository(CostCenter).insert(centers);
    [ids.mkt, ids.it] = centers.map((c) => c.id);
    const vendor = {
      ...base(),
      name: 'Vendor',
      nameKey: 'vendor',
      website: null,
      soc2: false,
      iso27001: false,
      dpaSigned: false,
      notes: null,
    };
    await ds.getRepository(Vendor).insert(vendor);
    const parent = { ...base(), name: 'Marketing', nameKey: 'marketing', parentId: null, active: true, sortOrder: 1 };
    const sub = { ...base(), name: 'CRM', nameKey: 'crm', parentId: parent.id, active: true, sortOrder: 1 };
    await ds.getRepository(Category).insert([parent, sub]);
    const tools = Array.from({ length: 1200 }, (_, i) =>
      Object.assign(new Tool(), {
        ...base(),
        name: toolName(i),
        nameKey: toolName(i).toLowerCase(),
        vendorId: vendor.id,
        subcategoryId: sub.id,
        categoryId: parent.id,
        description: null,
        capabilities: [],
        lifecycle: i === 7 ? Lifecycle.SUNSETTING : Lifecycle.ACTIVE,
        itApprovalStatus: ItApprovalStatus.NOT_REVIEWED,
        itApprovalRationale: null,
        itApprovalConditions: null,
        itApprovalDecidedById: null,
        itApprovalDecidedAt: null,
        businessOwnerId: null,
        technicalOwnerId: null,
        budgetOwnerId: centers[0].id,
        allocation: null,
        dataClassification: DataClassification.NONE,
        ssoEnabled: false,
        hostingRegion: null,
        isSystemOfRecord: false,
        licensedSeats: null,
        activeUsers: null,
        website: null,
        shadowIt: false,
        annualCostMinor: null,
        annualCostCurrency: null,
        createdById: null,
      }),
    );
    await insertRows(ds.manager, Tool, tools);
    pipeline = new ImportPipeline(new ImportReferences(new CatalogQueries(ds), new PeopleDirectory(ds)));
  });
  afterAll(async () => ds?.destroy());
  beforeEach(() => {
    kind = new LicencesKind();
  });

  describe('mapColumns', () => {
    it('maps headers by name or declared alias, in any case; the current exact headers keep working', () => {
      const rows = pipeline.mapColumns(kind, {
        headers: ['APPLICATION', 'owner e-mail', 'seats'],
        rows: [{ row: 2, cells: [' Tool 0001 ', 'owner@example.test', '3'] }],
      });
      expect(rows).toEqual([{ row: 2, values: { tool: 'Tool 0001', ownerEmail: 'owner@example.test', seats: '3' } }]);
      expect(pipeline.mapColumns(kind, { headers: ['tool', 'ownerEmail'], rows: [{ row: 2, cells: ['x'] }] })).toEqual([
        { row: 2, values: { tool: 'x', ownerEmail: '' } },
      ]);
    });

    it('refuses unknown, missing and repeated headers (an alias and its name are the same column)', () => {
      const refused = (headers: string[]) => {
        try {
          pipeline.mapColumns(kind, { headers, rows: [] });
          return null;
        } catch (error) {
          return error as { code: string; details: unknown };
        }
      };
      expect(refused(['tool', 'Application'])).toMatchObject({
        code: 'IMPORT_INVALID_HEADER',
        details: { duplicate: ['Application'], unknown: [], missing: [] },
      });
      expect(refused(['colour', 'seats'])).toMatchObject({
        code: 'IMPORT_INVALID_HEADER',
        details: { unknown: ['colour'], missing: ['tool'], expected: ['tool', 'ownerEmail', 'seats', 'costCenter', 'allocation'] },
      });
    });
  });

  describe('plan', () => {
    it('plans create, update and unchanged with the shared comparator, and reports invalid rows with their errors', async () => {
      kind.store.set((await tool(1)).id, {
        id: 'l1',
        toolId: (await tool(1)).id,
        ownerId: ids.owner,
        seats: 5,
        allocation: null,
        version: 1,
      });
      kind.store.set((await tool(2)).id, {
        id: 'l2',
        toolId: (await tool(2)).id,
        ownerId: ids.owner,
        seats: 5,
        allocation: null,
        version: 1,
      });
      const plan = await pipeline.plan(
        kind,
        [
          row(0, { tool: toolName(0), ownerEmail: 'OWNER@example.test', seats: '3', allocation: 'mkt:6000; IT:4000' }),
          row(1, { tool: toolName(1), ownerEmail: 'owner@example.test', seats: '5', allocation: '' }),
          row(2, { tool: toolName(2).toUpperCase(), ownerEmail: 'other@example.test', seats: '5', allocation: '' }),
          row(3, { tool: 'Nope', ownerEmail: 'nobody@example.test', seats: 'many', allocation: 'MKT:10000' }),
          row(4, { tool: toolName(0), ownerEmail: '', seats: '', allocation: 'XX:10000' }),
          row(5, { tool: toolName(7), ownerEmail: '', seats: '', allocation: '' }),
        ],
        ds.manager,
        admin,
      );
      expect(plan.kind).toBe('licences');
      expect(plan.rows.map((r) => [r.row, r.action, r.errors.length === 0])).toEqual([
        [2, 'create', true],
        [3, 'unchanged', true],
        [4, 'update', true],
        [5, 'create', false],
        [6, 'create', false],
        [7, 'create', true],
      ]);
      expect(plan.rows[0].record).toEqual({
        toolId: (await tool(0)).id,
        ownerId: ids.owner,
        seats: 3,
        allocation: [
          { costCenterId: ids.mkt, shareBps: 6000 },
          { costCenterId: ids.it, shareBps: 4000 },
        ],
      });
      expect(plan.rows[2].changes).toEqual({ ownerId: ids.other });
      expect(plan.rows[3]).toMatchObject({
        record: undefined,
        errors: [
          { column: 'tool', message: 'unknown tool "Nope"' },
          { column: 'ownerEmail', message: 'no user with e-mail nobody@example.test' },
          { column: 'seats', message: 'seats must be a whole number from 0 to 1000' },
        ],
      });
      expect(plan.rows[4].errors).toEqual([
        { column: 'allocation', message: 'allocation: unknown cost center XX' },
        { column: 'tool', message: `${toolName(0)} also in row 2` },
      ]);
      expect(plan.rows[5].notes).toEqual([`${toolName(7)} is being sunset`]);
    });

    it('leaves a field alone when its column is absent from the file', async () => {
      const id = (await tool(3)).id;
      kind.store.set(id, {
        id: 'l3',
        toolId: id,
        ownerId: ids.owner,
        seats: 5,
        allocation: [{ costCenterId: ids.mkt, shareBps: 10000 }],
        version: 1,
      });
      const plan = await pipeline.plan(kind, [row(0, { tool: toolName(3), seats: '5' })], ds.manager, admin);
      expect(plan.rows[0]).toMatchObject({ action: 'unchanged' });
      expect(plan.rows[0].changes).toStrictEqual({});
    });

    it('looks each reference kind up once per chunk of distinct values, whatever the number of rows and columns naming them', async () => {
      const rows = Array.from({ length: 2400 }, (_, i) =>
        row(i, {
          tool: toolName(i % 1200),
          ownerEmail: i % 2 ? 'owner@example.test' : 'OTHER@example.test',
          seats: '1',
          costCenter: i % 2 ? 'it' : 'MKT',
          allocation: i % 3 ? 'MKT:5000; IT:5000' : '',
        }),
      );
      const from = log.statements.length;
      const plan = await pipeline.plan(kind, rows, ds.manager, admin);
      expect(plan.rows.filter((r) => r.errors.length === 0)).toHaveLength(1200); // the second half repeats the first
      expect(REFERENCE_CHUNK).toBe(500);
      expect(log.selects('tools', from)).toBe(3); // 1,200 distinct names: 500 + 500 + 200
      expect(log.selects('users', from)).toBe(1);
      expect(log.selects('cost_centers', from)).toBe(1); // two columns name cost centers: one query
      expect(kind.loads).toEqual([500, 500, 200]); // the kind's own look-up, batched the same way

      // A reference no row names costs no query; an over-long value is never sent to the database.
      const again = log.statements.length;
      await pipeline.plan(kind, [row(0, { tool: 'x'.repeat(5000) })], ds.manager, admin);
      expect(log.selects('tools', again) + log.selects('users', again) + log.selects('cost_centers', again)).toBe(0);
    });

    it('reads what the given transaction sees', async () => {
      await expect(
        withTransaction(ds, async (manager) => {
          await manager.getRepository(CostCenter).insert({
            id: uuidv7(),
            code: 'NEW',
            name: 'New',
            kind: CostCenterKind.OTHER,
            ownerId: null,
            active: true,
            createdAt: now,
            updatedAt: now,
            version: 1,
          });
          const inside = await pipeline.plan(kind, [row(0, { tool: toolName(4), allocation: 'new:10000' })], manager, admin);
          expect(inside.rows[0].errors).toEqual([]);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      const outside = await pipeline.plan(kind, [row(0, { tool: toolName(4), allocation: 'NEW:10000' })], ds.manager, admin);
      expect(outside.rows[0].errors).toEqual([{ column: 'allocation', message: 'allocation: unknown cost center NEW' }]);
    });

    it('refuses a reference or a look-up the kind did not declare', async () => {
      const sloppy = new LicencesKind();
      sloppy.read = (ctx) => {
        ctx.ref('vendor-by-name', 'Vendor');
        return undefined;
      };
      await expect(pipeline.plan(sloppy, [row(0, { tool: toolName(0) })], ds.manager, admin)).rejects.toThrow('vendor-by-name');
      sloppy.read = (ctx) => {
        ctx.lookup('elsewhere', 'k');
        return undefined;
      };
      await expect(pipeline.plan(sloppy, [row(0, { tool: toolName(0) })], ds.manager, admin)).rejects.toThrow('elsewhere');
    });
  });

  describe('commit', () => {
    it('writes the plan it is given, in chunks: prepare, the updates in file order, then the creates together; unchanged rows are skipped', async () => {
      kind.commitChunk = 3;
      for (const index of [10, 12, 15])
        kind.store.set((await tool(index)).id, {
          id: `l${index}`,
          toolId: (await tool(index)).id,
          ownerId: null,
          seats: 1,
          allocation: null,
          version: 1,
        });
      const rows = [10, 11, 12, 13, 14, 15, 16].map((i, n) => row(n, { tool: toolName(i), seats: i === 12 ? '1' : '2' }));
      const plan = await pipeline.plan(kind, rows, ds.manager, admin);
      expect(plan.rows.map((r) => r.action)).toEqual(['update', 'create', 'unchanged', 'create', 'create', 'update', 'create']);

      const from = log.statements.length;
      await pipeline.commit(kind, plan, ds.manager, admin);
      expect(log.statements.length).toBe(from); // no second parse, no second look-up: the plan is written as it is
      expect(kind.writes).toEqual([
        'prepare 3',
        'update seats (chunk of 3)',
        'create 2 (chunk of 3)',
        'prepare 3',
        'update seats (chunk of 3)',
        'create 2 (chunk of 3)',
      ]);
      // the plan is used up: the records written are let go
      const written = plan.rows.filter((r) => r.action !== 'unchanged');
      expect(written.filter((r) => r.record !== undefined || r.existing !== undefined || r.changes !== undefined)).toEqual([]);
      const replan = await pipeline.plan(kind, rows, ds.manager, admin);
      expect(replan.rows.map((r) => r.action)).toEqual(Array(7).fill('unchanged'));
    });

    it('refuses a plan with an invalid row, or a plan of another kind', async () => {
      const plan = await pipeline.plan(kind, [row(0, { tool: 'Nope' })], ds.manager, admin);
      await expect(pipeline.commit(kind, plan, ds.manager, admin)).rejects.toThrow('row 2 is invalid');
      await expect(pipeline.commit(kind, { kind: 'tools', rows: [] }, ds.manager, admin)).rejects.toThrow(
        'cannot be committed as licences',
      );
      expect(kind.writes).toEqual([]);
    });
  });

  describe('planFile', () => {
    const report = (rows: { row: number; action: string; errors: unknown[]; notes: string[] }[]) =>
      rows.map(({ row, action, errors, notes }) => ({ row, action, errors, notes }));

    it('plans a kind with planSlice a slice at a time, as planned whole (firstRow sees the whole file), keeping no record', async () => {
      kind.store.set((await tool(31)).id, {
        id: 'l31',
        toolId: (await tool(31)).id,
        ownerId: null,
        seats: 1,
        allocation: null,
        version: 1,
      });
      // rows 2–9: tool 7 is being sunset (a note), tool 31 is updated, row 9 names row 3's tool again
      const rows = [30, 31, 7, 33, 34, 35, 36, 31].map((i, n) => row(n, { tool: toolName(i), seats: '2' }));
      const whole = await pipeline.plan(kind, rows, ds.manager, admin);
      kind.planSlice = 3;
      kind.loads.length = 0;
      const { plan } = await pipeline.planFile(kind, rows, ds.manager, admin, {}, false);
      expect(report(plan.rows)).toEqual(report(whole.rows));
      expect(plan.rows[7].errors).toEqual([{ column: 'tool', message: `${toolName(31)} also in row 3` }]);
      expect(plan.rows[2].notes).toEqual([`${toolName(7)} is being sunset`]);
      expect(plan.rows.filter((r) => r.record !== undefined || r.existing !== undefined || r.changes !== undefined)).toEqual([]);
      expect(kind.loads).toEqual([7]); // the file's look-ups are read once, before anything is written
      expect(kind.writes).toEqual([]);
    });

    it('with write, commits each slice while every row so far is valid, and reports every row of the file', async () => {
      kind.planSlice = 3;
      const rows = [40, 41, 42, 43, 44, 45, 46, 47].map((i, n) => row(n, { tool: n === 4 ? 'Nope' : toolName(i), seats: '5' }));
      const { plan } = await pipeline.planFile(kind, rows, ds.manager, admin, {}, true);
      expect(kind.writes).toEqual(['prepare 3', 'create 3 (chunk of 3)']); // the second slice has row 6: nothing after it is written
      expect(plan.rows.map((r) => r.errors.length)).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
      expect(plan.rows[4].errors).toEqual([{ column: 'tool', message: 'unknown tool "Nope"' }]);

      kind.writes.length = 0;
      const valid = [50, 51, 52, 53, 54, 55, 56].map((i, n) => row(n, { tool: toolName(i), seats: '5' }));
      const done = await pipeline.planFile(kind, valid, ds.manager, admin, {}, true);
      expect(kind.writes).toEqual([
        'prepare 3',
        'create 3 (chunk of 3)',
        'prepare 3',
        'create 3 (chunk of 3)',
        'prepare 1',
        'create 1 (chunk of 1)',
      ]);
      expect(done.plan.rows.map((r) => r.action)).toEqual(Array(7).fill('create'));
      const again = await pipeline.planFile(kind, valid, ds.manager, admin, {}, false);
      expect(again.plan.rows.map((r) => r.action)).toEqual(Array(7).fill('unchanged'));
    });

    it('plans a kind without planSlice whole, with its outcome, and refuses planSlice beside an outcome', async () => {
      const rows = [60, 61].map((i, n) => row(n, { tool: toolName(i), seats: '1' }));
      kind.outcome = async () => ({ stored: kind.store.size });
      const { plan, outcome } = await pipeline.planFile(kind, rows, ds.manager, admin, {}, true);
      expect(outcome).toEqual({ stored: 0 }); // read before the file was written
      expect(kind.writes).toEqual(['prepare 2', 'create 2 (chunk of 2)']);
      expect(plan.rows.map((r) => r.action)).toEqual(['create', 'create']);
      kind.planSlice = 1;
      await expect(pipeline.planFile(kind, rows, ds.manager, admin, {}, false)).rejects.toThrow('planned whole, not in slices');
    });
  });

  async function tool(index: number): Promise<Tool> {
    return ds.getRepository(Tool).findOneByOrFail({ nameKey: toolName(index).toLowerCase() });
  }
});
