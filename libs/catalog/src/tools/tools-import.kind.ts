import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { PeopleDirectory } from '@stackgate/identity';
import { ALL_ROLES, AllocationShare, AuthUser, mayUseFieldRule, refusedFields, Role } from '@stackgate/platform';
import { DataClassification, isShadowIt, ItApprovalStatus, Lifecycle } from '../catalog.enums';
import { CatalogChangeHooks, ShadowItEntry } from '../catalog-change-hooks';
import { Category } from '../categories/category.entity';
import { CostCenter } from '../cost-centers/cost-center.entity';
import { ALLOCATION_CELL_HELP, allocationCodes, formatAllocationCell, formatBool, formatList, parseAllocationCell } from '../imports/cells';
import { exampleAllocation, ExampleSamples } from '../imports/import-examples';
import { ImportColumn, ImportKind, KindLookup, ReferenceDeclaration, RowChange, RowContext, RowRead } from '../imports/import-kind';
import { COMMIT_CHUNK } from '../imports/import-pipeline';
import { ImportRegistry } from '../imports/import-registry';
import { compareFields } from '../imports/row-changes';
import { Vendor } from '../vendors/vendor.entity';
import { VendorsService } from '../vendors/vendors.service';
import { CreateToolDto, ToolFilterDto, UpdateToolDto } from './dto/tool.dto';
import { ToolQueriesService } from './tool-queries.service';
import { Tool } from './tool.entity';
import { ToolRetirementHooks } from './tool-retirement';
import { CATALOG_FIELD_PERMISSIONS, fieldRuleMessage, TOOL_TECHNICAL_RULE } from '../field-permissions';
import { canMoveLifecycle, identityChangeResetsApproval, identityChanges, normalizeCapabilities } from './tool-rules';
import { ToolRegistrationService } from './tool-registration.service';

/** The note on a row whose tool will be in use without IT approval (its registrant reads it in the import report). */
export const SHADOW_IT_IMPORT_NOTE =
  'in use without IT approval: the tool will count as shadow IT and await IT review; IT and the CIO are notified';

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
  { name: 'allocation', description: `${ALLOCATION_CELL_HELP}. Empty = 100 % to the budget owner` },
  { name: 'dataClassification', description: 'NONE, INTERNAL, PERSONAL, SENSITIVE_PERSONAL (IT, CIO, ADMIN)' },
  { name: 'ssoEnabled', description: 'true/false (IT, CIO, ADMIN)' },
  { name: 'hostingRegion', description: '(IT, CIO, ADMIN)' },
  { name: 'isSystemOfRecord', description: 'true/false' },
  { name: 'licensedSeats' },
  { name: 'activeUsers' },
  { name: 'website' },
];

/** The vendor id of a row whose vendor does not exist yet (created at commit). */
const NEW_VENDOR = '(new vendor)';

/** A row's desired tool; undefined = column absent (keep the current value, or the default). */
export interface ToolRecord {
  name: string;
  vendorName: string;
  /** The vendor's id, or NEW_VENDOR when the file introduces it. */
  vendorId: string;
  subcategoryId?: string;
  description?: string | null;
  capabilities?: string[];
  lifecycle?: Lifecycle;
  businessOwnerId?: string | null;
  technicalOwnerId?: string | null;
  budgetOwnerId?: string;
  allocation?: AllocationShare[] | null;
  dataClassification?: DataClassification;
  ssoEnabled?: boolean;
  hostingRegion?: string | null;
  isSystemOfRecord?: boolean;
  licensedSeats?: number | null;
  activeUsers?: number | null;
  website?: string | null;
}

/** Vendor ids by lower-cased name, the rows' new vendors included (what prepare() answers). */
type VendorIds = Map<string, string>;

const vendorKey = (name: string) => name.trim().toLowerCase();
const nameKeyOf = (name: string | undefined) => (name && name.length <= 200 ? name.toLowerCase() : undefined);

/** Imports and exports catalog tools, matched by name (so re-importing a file changes nothing). */
@Injectable()
export class ToolsImportKind implements ImportKind<ToolRecord, Tool, VendorIds>, OnModuleInit {
  readonly kind = 'tools';
  readonly columns = TOOL_COLUMNS;
  readonly allowedRoles = [Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.ADMIN];
  /** Its check reads the tool's live integrations, which no row of a tools file writes. */
  readonly planSlice = COMMIT_CHUNK;
  readonly references: ReferenceDeclaration[] = [
    { column: 'vendor', ref: 'vendor-by-name' },
    { column: 'subcategory', ref: 'subcategory-by-name' },
    { column: ['businessOwnerEmail', 'technicalOwnerEmail'], ref: 'user-by-email' },
    { column: 'budgetOwnerCode', ref: 'cost-center-by-code' },
    { column: 'allocation', ref: 'cost-center-by-code', keys: allocationCodes },
  ];
  readonly lookups: Record<string, KindLookup> = {
    /** The tools the rows name, whole: which names exist is read from the unique index first, so a file of new tools loads none. */
    existing: {
      keys: (row) => [nameKeyOf(row.values.name)],
      load: async (manager, keys) => {
        const found: { nameKey: string }[] = await manager
          .getRepository(Tool)
          .createQueryBuilder('t')
          .select('t.nameKey', 'nameKey')
          .where('t.nameKey IN (:...keys)', { keys })
          .getRawMany();
        const tools = found.length ? await manager.getRepository(Tool).find({ where: { nameKey: In(found.map((f) => f.nameKey)) } }) : [];
        return new Map(tools.map((t) => [t.nameKey, t]));
      },
    },
  };
  readonly compare = compareFields<ToolRecord, Tool>(
    'name',
    'vendorId',
    'subcategoryId',
    'description',
    { field: 'capabilities', comparable: (v) => normalizeCapabilities(v as string[] | null) },
    'lifecycle',
    'businessOwnerId',
    'technicalOwnerId',
    'budgetOwnerId',
    { field: 'allocation', comparable: (v) => ((v as AllocationShare[] | null)?.length ? v : null) },
    'dataClassification',
    'ssoEnabled',
    'hostingRegion',
    'isSystemOfRecord',
    'licensedSeats',
    'activeUsers',
    'website',
  );

  constructor(
    private readonly registry: ImportRegistry,
    private readonly tools: ToolRegistrationService,
    private readonly vendors: VendorsService,
    private readonly retirement: ToolRetirementHooks,
    private readonly people: PeopleDirectory,
    private readonly changeHooks: CatalogChangeHooks,
    private readonly queries: ToolQueriesService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  read(ctx: RowContext): RowRead<ToolRecord, Tool> {
    const reader = ctx.reader;
    const name = reader.text('name', 200, true) ?? '';
    const vendorName = reader.text('vendor', 200, true) ?? '';
    const vendor = vendorName ? ctx.ref('vendor-by-name', vendorName) : undefined;
    const record: ToolRecord = { name, vendorName, vendorId: vendor?.id ?? NEW_VENDOR };
    const subName = reader.text('subcategory', 120, true);
    if (subName) {
      const sub = ctx.ref('subcategory-by-name', subName);
      if (!sub) reader.fail('subcategory', `unknown subcategory "${subName}"`);
      else if (!sub.active) reader.fail('subcategory', `subcategory "${sub.name}" is deactivated`);
      else record.subcategoryId = sub.id;
    }
    record.description = reader.text('description', 5000, false, { multiline: true });
    record.capabilities = reader.list('capabilities', 50, 100);
    record.lifecycle = reader.oneOf('lifecycle', Object.values(Lifecycle)) ?? undefined;
    for (const [column, field] of [
      ['businessOwnerEmail', 'businessOwnerId'],
      ['technicalOwnerEmail', 'technicalOwnerId'],
    ] as const) {
      const email = reader.text(column, 254);
      if (email === undefined) continue;
      if (email === null) {
        record[field] = null;
        continue;
      }
      const person = ctx.ref('user-by-email', email);
      if (!person) reader.fail(column, `no user with e-mail ${email}`);
      else record[field] = person.id;
    }
    const code = reader.text('budgetOwnerCode', 40, true);
    if (code) {
      const center = ctx.ref('cost-center-by-code', code);
      if (!center) reader.fail('budgetOwnerCode', `unknown cost center ${code}`);
      else record.budgetOwnerId = center.id;
    }
    record.allocation = parseAllocationCell(reader, 'allocation', (c) => ctx.ref('cost-center-by-code', c)?.id);
    const dc = reader.oneOf('dataClassification', Object.values(DataClassification));
    record.dataClassification = dc === undefined ? undefined : (dc ?? DataClassification.NONE);
    record.ssoEnabled = reader.bool('ssoEnabled');
    record.hostingRegion = reader.text('hostingRegion', 60);
    record.isSystemOfRecord = reader.bool('isSystemOfRecord');
    record.licensedSeats = reader.int('licensedSeats', 0, 10_000_000);
    record.activeUsers = reader.int('activeUsers', 0, 10_000_000);
    record.website = reader.url('website', 500);

    const key = name.toLowerCase();
    if (name) {
      const first = ctx.firstRow('name', key);
      if (first) reader.fail('name', `${name} appears more than once in the file (first at row ${first})`);
    }
    if (vendorName && !vendor && ctx.firstRow('new vendor', vendorKey(vendorName)) === undefined)
      ctx.note(`vendor "${vendorName}" will be created`);
    return { record: record, existing: name ? ctx.lookup<Tool>('existing', key) : undefined };
  }

  /** The same field permission table as the API (SPEC §1): a row may not set what its importer could not set by hand. */
  async check(
    ctx: RowContext,
    { record, existing, changes }: { record: ToolRecord; existing?: Tool; changes?: Partial<ToolRecord> },
    manager: EntityManager,
  ): Promise<void> {
    const reader = ctx.reader;
    const roles = ctx.actor ? ctx.actor.roles : ALL_ROLES;
    if (existing && changes) {
      if (changes.lifecycle && !canMoveLifecycle(existing.lifecycle, changes.lifecycle)) {
        reader.fail('lifecycle', `a ${existing.lifecycle} tool cannot become ${changes.lifecycle}`);
      } else if (changes.lifecycle === Lifecycle.RETIRED) {
        const live = await this.retirement.liveDependencies(manager, existing.id);
        if (live.length) reader.fail('lifecycle', `the tool still has ${live.length} live integration(s); retire them first`);
      }
      for (const { rule, fields } of refusedFields(CATALOG_FIELD_PERMISSIONS.Tool, roles, changes))
        for (const field of fields) reader.fail(field, fieldRuleMessage(rule, field));
      const identity = identityChanges(existing, { nameKey: changes.name?.toLowerCase(), vendorId: changes.vendorId });
      if (identityChangeResetsApproval(existing.itApprovalStatus, identity, ctx.actor ? ctx.actor.roles : null)) {
        ctx.note(`IT approval ${existing.itApprovalStatus} goes back to NOT_REVIEWED: ${identity.join(' and ')} changed`);
      }
    } else if (!mayUseFieldRule(TOOL_TECHNICAL_RULE, roles)) {
      // A new tool's row may leave the technical columns at their defaults (an exported file has them).
      if (record.dataClassification && record.dataClassification !== DataClassification.NONE)
        reader.fail('dataClassification', fieldRuleMessage(TOOL_TECHNICAL_RULE, 'dataClassification', 'set'));
      if (record.ssoEnabled) reader.fail('ssoEnabled', fieldRuleMessage(TOOL_TECHNICAL_RULE, 'ssoEnabled', 'set'));
      if (record.hostingRegion) reader.fail('hostingRegion', fieldRuleMessage(TOOL_TECHNICAL_RULE, 'hostingRegion', 'set'));
    }
    const becomesShadowIt = existing
      ? !!changes &&
        Object.keys(changes).length > 0 &&
        !existing.shadowIt &&
        isShadowIt(changes.lifecycle ?? existing.lifecycle, existing.itApprovalStatus)
      : isShadowIt(record.lifecycle ?? Lifecycle.ACTIVE, ItApprovalStatus.NOT_REVIEWED);
    if (becomesShadowIt) ctx.note(SHADOW_IT_IMPORT_NOTE);
  }

  /** The vendors the rows name, missing ones created together in the order the file first names them (same rows and events as one by one). */
  prepare(manager: EntityManager, actor: AuthUser, records: ToolRecord[]): Promise<VendorIds> {
    return this.vendors.findOrCreateManyByNameInTransaction(
      manager,
      actor,
      records.map((v) => v.vendorName),
    );
  }

  /** New tools written together (createManyInTransaction: same rows and audit events, a few statements per 1,000 rows). */
  async create(manager: EntityManager, actor: AuthUser, records: ToolRecord[], vendorIds: VendorIds): Promise<void> {
    const dtos = records.map((v): CreateToolDto => ({
      name: v.name,
      vendorId: vendorIds.get(vendorKey(v.vendorName))!,
      subcategoryId: v.subcategoryId!,
      budgetOwnerId: v.budgetOwnerId!,
      description: v.description ?? null,
      capabilities: v.capabilities ?? [],
      lifecycle: v.lifecycle,
      businessOwnerId: v.businessOwnerId ?? null,
      technicalOwnerId: v.technicalOwnerId ?? null,
      allocation: v.allocation ?? null,
      dataClassification: v.dataClassification,
      ssoEnabled: v.ssoEnabled,
      hostingRegion: v.hostingRegion ?? null,
      isSystemOfRecord: v.isSystemOfRecord,
      licensedSeats: v.licensedSeats ?? null,
      activeUsers: v.activeUsers ?? null,
      website: v.website ?? null,
    }));
    // The plan looked every name up in this transaction (the file's new names are free and unique).
    const shadowIt: ShadowItEntry[] = [];
    await this.tools.createManyInTransaction(manager, actor, dtos, { namesChecked: true, shadowIt });
    await this.changeHooks.toolsEnteredShadowIt(manager, shadowIt, actor, 'imported');
  }

  async update(
    manager: EntityManager,
    actor: AuthUser,
    { record, existing, changes }: RowChange<ToolRecord, Tool>,
    vendorIds: VendorIds,
  ): Promise<void> {
    const { vendorId, ...fields } = changes;
    const dto: UpdateToolDto = { ...fields, version: existing.version };
    if (vendorId !== undefined) dto.vendorId = vendorIds.get(vendorKey(record.vendorName))!;
    await this.tools.updateInTransaction(manager, actor, existing.id, dto);
  }

  /** Two proposed tools of one new vendor: one split in percent, one charged to its budget owner alone. */
  examples({ subcategories, costCenters, email }: ExampleSamples): Record<string, string>[] {
    const common = { vendor: 'Example Vendor Ltd', lifecycle: Lifecycle.PROPOSED, budgetOwnerCode: costCenters[0] ?? '' };
    return [
      {
        ...common,
        name: 'Example Webinar Platform',
        subcategory: subcategories[0] ?? '',
        description: 'Example row: replace or delete it before importing',
        capabilities: 'webinars; lead capture',
        businessOwnerEmail: email,
        allocation: exampleAllocation(costCenters),
        isSystemOfRecord: 'false',
        licensedSeats: '50',
        activeUsers: '35',
        website: 'https://www.example.com',
      },
      {
        ...common,
        name: 'Example Survey Tool',
        subcategory: subcategories[1] ?? subcategories[0] ?? '',
        description: 'Example row: replace or delete it before importing',
        licensedSeats: '10',
      },
    ];
  }

  /** The catalog, or the tools `filter` selects in its sort (the list's filters: an export of what the user sees). */
  async exportRows(manager: EntityManager, filter: ToolFilterDto = {}): Promise<Record<string, string>[]> {
    const [tools, vendors, categories, centers] = await Promise.all([
      this.queries.filteredTools(manager, filter),
      manager.getRepository(Vendor).find({ select: { id: true, name: true } }),
      manager.getRepository(Category).find({ select: { id: true, name: true } }),
      manager.getRepository(CostCenter).find({ select: { id: true, code: true } }),
    ]);
    const email = await this.people.emailsByIds(
      manager,
      tools.flatMap((t) => [t.businessOwnerId, t.technicalOwnerId]).filter((id): id is string => !!id),
    );
    const vendor = new Map(vendors.map((v) => [v.id, v.name]));
    const category = new Map(categories.map((c) => [c.id, c.name]));
    const code = new Map(centers.map((c) => [c.id, c.code]));
    return tools.map((t) => ({
      name: t.name,
      vendor: vendor.get(t.vendorId) ?? '',
      subcategory: category.get(t.subcategoryId) ?? '',
      description: t.description ?? '',
      capabilities: formatList(t.capabilities),
      lifecycle: t.lifecycle,
      businessOwnerEmail: t.businessOwnerId ? (email.get(t.businessOwnerId) ?? '') : '',
      technicalOwnerEmail: t.technicalOwnerId ? (email.get(t.technicalOwnerId) ?? '') : '',
      budgetOwnerCode: code.get(t.budgetOwnerId) ?? '',
      allocation: formatAllocationCell(t.allocation, code),
      dataClassification: t.dataClassification,
      ssoEnabled: formatBool(t.ssoEnabled),
      hostingRegion: t.hostingRegion ?? '',
      isSystemOfRecord: formatBool(t.isSystemOfRecord),
      licensedSeats: t.licensedSeats === null ? '' : String(t.licensedSeats),
      activeUsers: t.activeUsers === null ? '' : String(t.activeUsers),
      website: t.website ?? '',
    }));
  }
}
