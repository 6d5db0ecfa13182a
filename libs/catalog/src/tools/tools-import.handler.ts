import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In, IsNull, Not } from 'typeorm';
import { User } from '@stackgate/identity';
import { ALL_ROLES, AllocationShare, AuthUser, mayUseFieldRule, refusedFields, Role } from '@stackgate/platform';
import { DataClassification, isShadowIt, ItApprovalStatus, Lifecycle } from '../catalog.enums';
import { CatalogChangeHooks, ShadowItEntry } from '../catalog-change-hooks';
import { Category } from '../categories/category.entity';
import { CostCenter } from '../cost-centers/cost-center.entity';
import { formatAllocationCell, formatBool, formatList, parseAllocationCell, RowReader } from '../imports/cells';
import { ImportColumn, ImportHandler, ImportRegistry, ImportRow, RowOutcome } from '../imports/import-registry';
import { Vendor } from '../vendors/vendor.entity';
import { VendorsService } from '../vendors/vendors.service';
import { CreateToolDto, UpdateToolDto } from './dto/tool.dto';
import { Tool } from './tool.entity';
import { ToolRetirementHooks } from './tool-retirement';
import { CATALOG_FIELD_PERMISSIONS, fieldRuleMessage, TOOL_TECHNICAL_RULE } from '../field-permissions';
import { canMoveLifecycle, identityChangeResetsApproval, identityChanges, normalizeCapabilities } from './tool-rules';
import { ToolRegistrationService } from './tool-registration.service';

export const TOOL_COLUMNS: ImportColumn[] = [
  { name: 'name', required: true, description: 'Tool name; matches an existing tool regardless of case' },
  { name: 'vendor', required: true, description: 'Vendor name; an unknown vendor is created' },
  { name: 'subcategory', required: true, description: 'Subcategory name from the taxonomy' },
  { name: 'description' },
  { name: 'capabilities', description: 'Tags separated by ;' },
  { name: 'lifecycle', description: 'PROPOSED, APPROVED, ACTIVE (default), SUNSETTING, RETIRED' },
  { name: 'businessOwnerEmail' },
  { name: 'technicalOwnerEmail' },
  { name: 'budgetOwnerCode', required: true, description: 'Cost center code' },
  { name: 'allocation', description: 'CODE:basis points; … summing to 10000. Empty = 100 % to the budget owner' },
  { name: 'dataClassification', description: 'NONE, INTERNAL, PERSONAL, SENSITIVE_PERSONAL (IT, CIO, ADMIN)' },
  { name: 'ssoEnabled', description: 'true/false (IT, CIO, ADMIN)' },
  { name: 'hostingRegion', description: '(IT, CIO, ADMIN)' },
  { name: 'isSystemOfRecord', description: 'true/false' },
  { name: 'licensedSeats' },
  { name: 'activeUsers' },
  { name: 'website' },
];

/** A row's desired state; undefined = column absent (keep current / default). */
interface ToolRowValues {
  name: string;
  vendorName: string;
  subcategoryId?: string;
  description?: string | null;
  capabilities?: string[];
  lifecycle?: Lifecycle | null;
  businessOwnerId?: string | null;
  technicalOwnerId?: string | null;
  budgetOwnerId?: string;
  allocation?: AllocationShare[] | null;
  dataClassification?: DataClassification | null;
  ssoEnabled?: boolean;
  hostingRegion?: string | null;
  isSystemOfRecord?: boolean;
  licensedSeats?: number | null;
  activeUsers?: number | null;
  website?: string | null;
}

interface Lookups {
  vendorIdByKey: Map<string, string>;
  subByKey: Map<string, Category>;
  costCenterIdByCode: Map<string, string>;
  userIdByEmail: Map<string, string>;
  toolByKey: Map<string, Tool>;
}

type ToolPlan = { outcome: RowOutcome; values?: ToolRowValues; existing?: Tool };

const chunks = <T>(xs: T[], n = 500): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Imports and exports catalog tools, matched by name (so re-importing a file changes nothing). */
/** The note on a row whose tool will be in use without IT approval (its registrant reads it in the import report). */
export const SHADOW_IT_IMPORT_NOTE = 'in use without IT approval: the tool will count as shadow IT and await IT review; IT and the CIO are notified';

@Injectable()
export class ToolsImportHandler implements ImportHandler, OnModuleInit {
  readonly kind = 'tools';
  readonly columns = TOOL_COLUMNS;
  readonly allowedRoles = [Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.ADMIN];

  /** The plan of the last validateRows per rows array, for the commit that follows it in the same transaction. */
  private readonly plans = new WeakMap<ImportRow[], { manager: EntityManager; actorId: string | undefined; plan: ToolPlan[] }>();

  constructor(
    private readonly registry: ImportRegistry,
    private readonly tools: ToolRegistrationService,
    private readonly vendors: VendorsService,
    private readonly retirement: ToolRetirementHooks,
    private readonly changeHooks: CatalogChangeHooks,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async validateRows(rows: ImportRow[], manager: EntityManager, actor?: AuthUser): Promise<RowOutcome[]> {
    const plan = await this.plan(rows, manager, actor);
    this.plans.set(rows, { manager, actorId: actor?.id, plan });
    return plan.map((p) => p.outcome);
  }

  async commit(rows: ImportRow[], manager: EntityManager, actor: AuthUser): Promise<void> {
    // The plan validateRows just made for these rows in this transaction is still current: reuse it.
    const cached = this.plans.get(rows);
    this.plans.delete(rows);
    const plan = cached && cached.manager === manager && cached.actorId === actor.id ? cached.plan : await this.plan(rows, manager, actor);
    // Missing vendors are created together, in the order the file first names them (same rows and events as one by one).
    const applied = plan.filter((p) => p.outcome.action !== 'unchanged' && p.values);
    const vendorIds = await this.vendors.findOrCreateManyByNameInTransaction(manager, actor, applied.map((p) => p.values!.vendorName));
    // New tools are written together (createManyInTransaction: same rows and audit events, a few statements per 500 rows).
    const creates: CreateToolDto[] = [];
    for (const p of applied) {
      if (!p.values) continue;
      const vendorId = vendorIds.get(p.values.vendorName.trim().toLowerCase())!;
      const v = p.values;
      if (p.outcome.action === 'create') {
        const dto: CreateToolDto = {
          name: v.name, vendorId, subcategoryId: v.subcategoryId!, budgetOwnerId: v.budgetOwnerId!,
          description: v.description ?? null, capabilities: v.capabilities ?? [], lifecycle: v.lifecycle ?? undefined,
          businessOwnerId: v.businessOwnerId ?? null, technicalOwnerId: v.technicalOwnerId ?? null, allocation: v.allocation ?? null,
          dataClassification: v.dataClassification ?? undefined, ssoEnabled: v.ssoEnabled, hostingRegion: v.hostingRegion ?? null,
          isSystemOfRecord: v.isSystemOfRecord, licensedSeats: v.licensedSeats ?? null, activeUsers: v.activeUsers ?? null, website: v.website ?? null,
        };
        creates.push(dto);
      } else {
        const current = p.existing!;
        const dto: UpdateToolDto = { ...this.changes(current, v, vendorId), version: current.version };
        await this.tools.updateInTransaction(manager, actor, current.id, dto);
      }
    }
    // plan() looked every name up in this transaction (the file's new names are free and unique).
    const shadowIt: ShadowItEntry[] = [];
    await this.tools.createManyInTransaction(manager, actor, creates, { namesChecked: true, shadowIt });
    await this.changeHooks.toolsEnteredShadowIt(manager, shadowIt, actor, 'imported');
  }

  async exportRows(manager: EntityManager): Promise<Record<string, string>[]> {
    const [tools, vendors, categories, centers, users] = await Promise.all([
      manager.getRepository(Tool).find({ order: { nameKey: 'ASC' } }),
      manager.getRepository(Vendor).find({ select: { id: true, name: true } }),
      manager.getRepository(Category).find({ select: { id: true, name: true } }),
      manager.getRepository(CostCenter).find({ select: { id: true, code: true } }),
      manager.getRepository(User).find({ select: { id: true, email: true } }),
    ]);
    const vendor = new Map(vendors.map((v) => [v.id, v.name]));
    const category = new Map(categories.map((c) => [c.id, c.name]));
    const code = new Map(centers.map((c) => [c.id, c.code]));
    const email = new Map(users.map((u) => [u.id, u.email]));
    return tools.map((t) => ({
      name: t.name, vendor: vendor.get(t.vendorId) ?? '', subcategory: category.get(t.subcategoryId) ?? '', description: t.description ?? '',
      capabilities: formatList(t.capabilities), lifecycle: t.lifecycle,
      businessOwnerEmail: t.businessOwnerId ? email.get(t.businessOwnerId) ?? '' : '', technicalOwnerEmail: t.technicalOwnerId ? email.get(t.technicalOwnerId) ?? '' : '',
      budgetOwnerCode: code.get(t.budgetOwnerId) ?? '', allocation: formatAllocationCell(t.allocation, code),
      dataClassification: t.dataClassification, ssoEnabled: formatBool(t.ssoEnabled), hostingRegion: t.hostingRegion ?? '',
      isSystemOfRecord: formatBool(t.isSystemOfRecord), licensedSeats: t.licensedSeats === null ? '' : String(t.licensedSeats),
      activeUsers: t.activeUsers === null ? '' : String(t.activeUsers), website: t.website ?? '',
    }));
  }

  // ------------------------------------------------------------------------------------------

  private async plan(rows: ImportRow[], manager: EntityManager, actor?: AuthUser) {
    const lookups = await this.lookups(rows, manager);
    // The same field permission table as the API (SPEC §1): a row may not set what its importer could not set by hand.
    const roles = actor ? actor.roles : ALL_ROLES;
    const technicalAllowed = mayUseFieldRule(TOOL_TECHNICAL_RULE, roles);
    const seenNames = new Map<string, number>();
    const newVendors = new Set<string>();
    const plans: ToolPlan[] = [];
    for (const row of rows) {
      const r = new RowReader(row.values);
      const values = this.read(r, lookups);
      const notes: string[] = [];
      const key = values.name.toLowerCase();
      if (values.name) {
        const first = seenNames.get(key);
        if (first) r.fail('name', `${values.name} appears more than once in the file (first at row ${first})`);
        else seenNames.set(key, row.row);
      }
      const existing = values.name ? lookups.toolByKey.get(key) : undefined;
      const vendorKey = values.vendorName.toLowerCase();
      const vendorId = lookups.vendorIdByKey.get(vendorKey);
      if (values.vendorName && !vendorId && !newVendors.has(vendorKey)) {
        newVendors.add(vendorKey);
        notes.push(`vendor "${values.vendorName}" will be created`);
      }
      let action: RowOutcome['action'] = 'create';
      if (existing) {
        const changes = this.changes(existing, values, vendorId ?? '(new vendor)');
        action = Object.keys(changes).length ? 'update' : 'unchanged';
        if (changes.lifecycle && !canMoveLifecycle(existing.lifecycle, changes.lifecycle)) {
          r.fail('lifecycle', `a ${existing.lifecycle} tool cannot become ${changes.lifecycle}`);
        } else if (changes.lifecycle === Lifecycle.RETIRED) {
          const live = await this.retirement.liveDependencies(manager, existing.id);
          if (live.length) r.fail('lifecycle', `the tool still has ${live.length} live integration(s); retire them first`);
        }
        for (const { rule, fields } of refusedFields(CATALOG_FIELD_PERMISSIONS.Tool, roles, changes)) for (const f of fields) r.fail(f, fieldRuleMessage(rule, f));
        const identity = identityChanges(existing, { nameKey: changes.name?.toLowerCase(), vendorId: changes.vendorId });
        if (identityChangeResetsApproval(existing.itApprovalStatus, identity, actor ? actor.roles : null)) {
          notes.push(`IT approval ${existing.itApprovalStatus} goes back to NOT_REVIEWED: ${identity.join(' and ')} changed`);
        }
      } else if (!technicalAllowed) {
        // A new tool's row may leave the technical columns at their defaults (an exported file has them).
        if (values.dataClassification && values.dataClassification !== DataClassification.NONE) r.fail('dataClassification', fieldRuleMessage(TOOL_TECHNICAL_RULE, 'dataClassification', 'set'));
        if (values.ssoEnabled) r.fail('ssoEnabled', fieldRuleMessage(TOOL_TECHNICAL_RULE, 'ssoEnabled', 'set'));
        if (values.hostingRegion) r.fail('hostingRegion', fieldRuleMessage(TOOL_TECHNICAL_RULE, 'hostingRegion', 'set'));
      }
      const becomesShadowIt = action === 'create'
        ? isShadowIt(values.lifecycle ?? Lifecycle.ACTIVE, ItApprovalStatus.NOT_REVIEWED)
        : !!existing && !existing.shadowIt && action === 'update' && isShadowIt(values.lifecycle ?? existing.lifecycle, existing.itApprovalStatus);
      if (becomesShadowIt) notes.push(SHADOW_IT_IMPORT_NOTE);
      plans.push({ outcome: { action, errors: r.errors, notes }, values: r.errors.length ? undefined : values, existing });
    }
    return plans;
  }

  /** Parses and resolves one row; errors go to the reader. */
  private read(r: RowReader, l: Lookups): ToolRowValues {
    const name = r.text('name', 200, true) ?? '';
    const vendorName = r.text('vendor', 200, true) ?? '';
    const v: ToolRowValues = { name, vendorName };
    const subName = r.text('subcategory', 120, true);
    if (subName) {
      const sub = l.subByKey.get(subName.toLowerCase());
      if (!sub) r.fail('subcategory', `unknown subcategory "${subName}"`);
      else if (!sub.active) r.fail('subcategory', `subcategory "${sub.name}" is deactivated`);
      else v.subcategoryId = sub.id;
    }
    v.description = r.text('description', 5000, false, { multiline: true });
    v.capabilities = r.list('capabilities', 50, 100);
    v.lifecycle = r.oneOf('lifecycle', Object.values(Lifecycle));
    for (const [column, field] of [['businessOwnerEmail', 'businessOwnerId'], ['technicalOwnerEmail', 'technicalOwnerId']] as const) {
      const e = r.text(column, 254);
      if (e === undefined) continue;
      if (e === null) { v[field] = null; continue; }
      const id = l.userIdByEmail.get(e.toLowerCase());
      if (!id) r.fail(column, `no user with e-mail ${e}`);
      else v[field] = id;
    }
    const code = r.text('budgetOwnerCode', 40, true);
    if (code) {
      const id = l.costCenterIdByCode.get(code.toUpperCase());
      if (!id) r.fail('budgetOwnerCode', `unknown cost center ${code}`);
      else v.budgetOwnerId = id;
    }
    v.allocation = parseAllocationCell(r, 'allocation', l.costCenterIdByCode);
    v.dataClassification = r.oneOf('dataClassification', Object.values(DataClassification));
    v.ssoEnabled = r.bool('ssoEnabled');
    v.hostingRegion = r.text('hostingRegion', 60);
    v.isSystemOfRecord = r.bool('isSystemOfRecord');
    v.licensedSeats = r.int('licensedSeats', 0, 10_000_000);
    v.activeUsers = r.int('activeUsers', 0, 10_000_000);
    v.website = r.url('website', 500);
    return v;
  }

  /** The update a row asks for on an existing tool: only fields whose value differs. */
  private changes(t: Tool, v: ToolRowValues, vendorId: string): Omit<UpdateToolDto, 'version'> {
    const c: Omit<UpdateToolDto, 'version'> = {};
    if (v.name !== t.name) c.name = v.name;
    if (vendorId !== t.vendorId) c.vendorId = vendorId;
    if (v.subcategoryId !== undefined && v.subcategoryId !== t.subcategoryId) c.subcategoryId = v.subcategoryId;
    if (v.description !== undefined && (v.description ?? null) !== t.description) c.description = v.description;
    if (v.capabilities !== undefined && !sameJson(normalizeCapabilities(v.capabilities), t.capabilities ?? [])) c.capabilities = v.capabilities;
    if (v.lifecycle && v.lifecycle !== t.lifecycle) c.lifecycle = v.lifecycle;
    if (v.businessOwnerId !== undefined && v.businessOwnerId !== t.businessOwnerId) c.businessOwnerId = v.businessOwnerId;
    if (v.technicalOwnerId !== undefined && v.technicalOwnerId !== t.technicalOwnerId) c.technicalOwnerId = v.technicalOwnerId;
    if (v.budgetOwnerId !== undefined && v.budgetOwnerId !== t.budgetOwnerId) c.budgetOwnerId = v.budgetOwnerId;
    if (v.allocation !== undefined && !sameJson(v.allocation?.length ? v.allocation : null, t.allocation?.length ? t.allocation : null)) c.allocation = v.allocation;
    const dc = v.dataClassification === undefined ? undefined : v.dataClassification ?? DataClassification.NONE;
    if (dc !== undefined && dc !== t.dataClassification) c.dataClassification = dc;
    if (v.ssoEnabled !== undefined && v.ssoEnabled !== t.ssoEnabled) c.ssoEnabled = v.ssoEnabled;
    if (v.hostingRegion !== undefined && v.hostingRegion !== t.hostingRegion) c.hostingRegion = v.hostingRegion;
    if (v.isSystemOfRecord !== undefined && v.isSystemOfRecord !== t.isSystemOfRecord) c.isSystemOfRecord = v.isSystemOfRecord;
    if (v.licensedSeats !== undefined && v.licensedSeats !== t.licensedSeats) c.licensedSeats = v.licensedSeats;
    if (v.activeUsers !== undefined && v.activeUsers !== t.activeUsers) c.activeUsers = v.activeUsers;
    if (v.website !== undefined && v.website !== t.website) c.website = v.website;
    return c;
  }

  /** Everything a file refers to, in a handful of queries (never one per row). */
  private async lookups(rows: ImportRow[], m: EntityManager): Promise<Lookups> {
    const nameKeys = [...new Set(rows.map((r) => (r.values.name ?? '').trim().toLowerCase()).filter(Boolean))];
    const vendorKeys = [...new Set(rows.map((r) => (r.values.vendor ?? '').trim().toLowerCase()).filter(Boolean))];
    const emails = [...new Set(rows.flatMap((r) => [r.values.businessOwnerEmail, r.values.technicalOwnerEmail]).map((e) => (e ?? '').toLowerCase()).filter(Boolean))];
    // Which names exist is read from the unique index alone; only those tools are loaded whole
    // (a file of new tools then costs a few index reads, not 20 hydrated SELECTs per 10,000 rows).
    const existingKeys: string[] = [];
    for (const c of chunks(nameKeys, 1000)) {
      const found: { nameKey: string }[] = await m.getRepository(Tool).createQueryBuilder('t').select('t.nameKey', 'nameKey').where('t.nameKey IN (:...c)', { c }).getRawMany();
      existingKeys.push(...found.map((f) => f.nameKey));
    }
    const tools: Tool[] = [];
    for (const c of chunks(existingKeys)) tools.push(...(await m.getRepository(Tool).find({ where: { nameKey: In(c) } })));
    const vendors: Vendor[] = [];
    for (const c of chunks(vendorKeys)) vendors.push(...(await m.getRepository(Vendor).find({ where: { nameKey: In(c) }, select: { id: true, nameKey: true } })));
    const users: User[] = [];
    for (const c of chunks(emails)) users.push(...(await m.getRepository(User).find({ where: { email: In(c) }, select: { id: true, email: true } })));
    const subs = await m.getRepository(Category).find({ where: { parentId: Not(IsNull()) } });
    const centers = await m.getRepository(CostCenter).find({ select: { id: true, code: true } });
    return {
      toolByKey: new Map(tools.map((t) => [t.nameKey, t])),
      vendorIdByKey: new Map(vendors.map((v) => [v.nameKey, v.id])),
      userIdByEmail: new Map(users.map((u) => [u.email, u.id])),
      subByKey: new Map(subs.map((s) => [s.nameKey, s])),
      costCenterIdByCode: new Map(centers.map((c) => [c.code.toUpperCase(), c.id])),
    };
  }
}
