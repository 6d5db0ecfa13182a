import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsSelect, In } from 'typeorm';
import { AuditEvent, AuditService } from '@stackgate/audit';
import { User } from '@stackgate/identity';
import {
  APP_CONFIG, AppConfig, AuthUser, findById, formatMinor, insertRows, isUniqueViolation, notFound, Page, pageParams,
  resolveSort, updateVersioned, uuidv7, validationFailed, whereIdIn, withTransaction,
} from '@stackgate/platform';
import { DataClassification, isShadowIt, ItApprovalStatus, Lifecycle } from '../catalog.enums';
import { containsPattern, referenceNotFound, CatalogError, CatalogErrorCode } from '../catalog.errors';
import { Category } from '../categories/category.entity';
import { CostCenter } from '../cost-centers/cost-center.entity';
import { Vendor } from '../vendors/vendor.entity';
import { CreateToolDto, ItApprovalDto, RetireToolDto, ToolHistoryEventResponse, ToolQueryDto, ToolResponse, UpdateToolDto } from './dto/tool.dto';
import { Tool, ToolCapability } from './tool.entity';
import { ToolRetirementHooks } from './tool-retirement';
import { CatalogChangeHooks, TOOL_COST_ATTRIBUTES } from '../catalog-change-hooks';
import { assertFieldsAllowed } from '../field-permissions';
import {
  canMoveLifecycle, effectiveAllocation, identityChangeResetsApproval, identityChanges, itApprovalProblems, normalizeCapabilities, storedConditions,
} from './tool-rules';

/** Names of the records a tool points to, for the expanded response. */
export interface ToolRefNames {
  vendors: Map<string, string>;
  categories: Map<string, string>;
}

/** The response allow-list: stored fields, derived ones, and expanded references. */
export function toToolResponse(t: Tool, names: ToolRefNames, baseCurrency: string): ToolResponse {
  return {
    id: t.id, name: t.name,
    vendorId: t.vendorId, vendor: { id: t.vendorId, name: names.vendors.get(t.vendorId) ?? '' },
    subcategoryId: t.subcategoryId, subcategory: { id: t.subcategoryId, name: names.categories.get(t.subcategoryId) ?? '' },
    categoryId: t.categoryId, category: { id: t.categoryId, name: names.categories.get(t.categoryId) ?? '' },
    description: t.description, capabilities: t.capabilities ?? [], lifecycle: t.lifecycle,
    itApproval: {
      status: t.itApprovalStatus, rationale: t.itApprovalRationale, conditions: t.itApprovalConditions,
      decidedById: t.itApprovalDecidedById, decidedAt: t.itApprovalDecidedAt,
    },
    businessOwnerId: t.businessOwnerId, technicalOwnerId: t.technicalOwnerId, budgetOwnerId: t.budgetOwnerId,
    allocation: effectiveAllocation(t.allocation, t.budgetOwnerId), customAllocation: !!t.allocation?.length,
    dataClassification: t.dataClassification, ssoEnabled: t.ssoEnabled, hostingRegion: t.hostingRegion,
    isSystemOfRecord: t.isSystemOfRecord, licensedSeats: t.licensedSeats, activeUsers: t.activeUsers, website: t.website,
    shadowIt: t.shadowIt,
    annualCost: t.annualCostMinor !== null && t.annualCostMinor !== undefined && t.annualCostCurrency
      ? { amount: formatMinor(t.annualCostMinor, t.annualCostCurrency), currency: t.annualCostCurrency }
      : { amount: formatMinor(0n, baseCurrency), currency: baseCurrency },
    createdById: t.createdById, version: t.version, createdAt: t.createdAt, updatedAt: t.updatedAt,
  };
}

/** What the audit trail records about a tool (stored fields, no timestamps). */
export function toolSnapshot(t: Tool): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, annualCostMinor: _a, annualCostCurrency: _ac, ...rest } = t;
  return { ...rest };
}

type ToolFieldInput = Partial<CreateToolDto>;

const SORTS = {
  name: 't.nameKey', createdAt: 't.createdAt', updatedAt: 't.updatedAt', lifecycle: 't.lifecycle',
  itApproval: 't.itApprovalStatus', annualCost: 't.annualCostMinor',
};

@Injectable()
export class ToolsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly retirement: ToolRetirementHooks,
    private readonly changeHooks: CatalogChangeHooks,
  ) {}

  // ---------------------------------------------------------------- public contract (other libraries)

  /**
   * Creates a tool inside the caller's transaction: validates references (422 REFERENCE_NOT_FOUND),
   * keeps nameKey/categoryId/shadowIt/capability rows in sync, audits 'tool.created'.
   * Field-level role checks are the HTTP layer's job (see create()); `actor` is only recorded.
   * A name reserved through CatalogChangeHooks is refused (409 TOOL_NAME_RESERVED), except for the
   * holder of the reservation creating its tool (`reservationHolder`: the approved request).
   */
  async createInTransaction(manager: EntityManager, actor: AuthUser | null, input: CreateToolDto, opts: { reservationHolder?: boolean } = {}): Promise<Tool> {
    const name = input.name.trim();
    await this.assertNameFree(manager, name, !opts.reservationHolder);
    const categoryId = await this.checkReferences(manager, input);
    const tool = newTool(input, name, categoryId!, actor, new Date());
    try {
      await manager.getRepository(Tool).insert(tool);
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(name);
      throw err;
    }
    await this.writeCapabilities(manager, tool.id, tool.capabilities, false);
    await this.audit.record(manager, { action: 'tool.created', entityType: 'Tool', entityId: tool.id, after: toolSnapshot(tool), ...actorOf(actor) });
    return tool;
  }

  /**
   * Creates many tools in the caller's transaction (the spreadsheet import): the same rows, checks
   * (409 TOOL_NAME_TAKEN, 422 REFERENCE_NOT_FOUND …) and audit events as createInTransaction for
   * each in turn, in a few statements per 500 tools instead of about ten per tool. Answers how many.
   *
   * The rows are built a slice of CREATE_SLICE tools at a time, so that a 50,000-row file's tools
   * and events are never all in memory. The statements queue on the transaction's one connection
   * and run in order: while the database writes one slice (tools, capabilities, then their audit
   * events), this process builds and hashes the next; it never runs more than two slices ahead.
   *
   * namesChecked: the caller has already looked every name up in this same transaction (the
   * import's plan), so the lookup is not repeated; the unique index still refuses a duplicate (409).
   */
  async createManyInTransaction(manager: EntityManager, actor: AuthUser | null, inputs: CreateToolDto[], opts: { namesChecked?: boolean } = {}): Promise<number> {
    if (!inputs.length) return 0;
    const names = inputs.map((i) => i.name.trim());
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n.toLowerCase())) throw nameTaken(n);
      seen.add(n.toLowerCase());
    }
    const keys = opts.namesChecked ? [] : [...seen];
    for (let k = 0; k < keys.length; k += 500) {
      const taken = await manager.getRepository(Tool).findOne({ where: { nameKey: In(keys.slice(k, k + 500)) }, select: { id: true, name: true } });
      if (taken) throw nameTaken(names.find((n) => n.toLowerCase() === taken.name.toLowerCase()) ?? taken.name);
    }
    await this.changeHooks.assertToolNamesUnreserved(manager, names); // also when the caller checked the catalog itself
    const categoryIds = await this.checkReferencesMany(manager, inputs);
    const now = new Date();
    const settled = (p: Promise<unknown>) => { p.catch(() => undefined); return p; }; // awaited later; not an unhandled rejection meanwhile
    let written: Promise<unknown> = Promise.resolve(); // every statement of the slices so far
    let twoBack: Promise<unknown> = Promise.resolve();
    try {
      for (let k = 0; k < inputs.length; k += CREATE_SLICE) {
        await twoBack; // backpressure: at most two slices built and not yet written
        const tools = inputs.slice(k, k + CREATE_SLICE).map((input, i) => newTool(input, names[k + i], categoryIds[k + i]!, actor, now));
        const capabilityRows = tools.flatMap((t) => [...new Set(t.capabilities.map((c) => c.toLowerCase()))].map((capability) => ({ toolId: t.id, capability })));
        const rows = settled(written.then(() => insertRows(manager, Tool, tools)).then(() => insertRows(manager, ToolCapability, capabilityRows)));
        const events = await this.audit.prepareMany(manager, tools.map((tool) => ({ action: 'tool.created', entityType: 'Tool', entityId: tool.id, after: toolSnapshot(tool), ...actorOf(actor) })), { newEntities: true });
        twoBack = written;
        written = settled(rows.then(() => this.audit.insertPrepared(manager, events)));
      }
      await written;
    } catch (err) {
      await written.catch(() => undefined); // nothing of this call is still queued when the caller rolls back
      if (isUniqueViolation(err)) throw new CatalogError(CatalogErrorCode.TOOL_NAME_TAKEN, 'A tool of this file already exists');
      throw err;
    }
    return inputs.length;
  }

  /**
   * Validates the references of many inputs at once (one query per kind of reference, none for a
   * kind no input names): 422 REFERENCE_NOT_FOUND, NOT_A_SUBCATEGORY, CATEGORY_INACTIVE. Answers
   * each input's category id (undefined when it names no subcategory).
   */
  private async checkReferencesMany(manager: EntityManager, inputs: ToolFieldInput[]): Promise<(string | undefined)[]> {
    const ids = (pick: (i: ToolFieldInput) => (string | null | undefined)[]) => [...new Set(inputs.flatMap(pick).filter((x): x is string => !!x))];
    const existing = async <T extends { id: string }>(entity: new () => T, list: string[], select: FindOptionsSelect<T>): Promise<Map<string, T>> => {
      const out = new Map<string, T>();
      for (let k = 0; k < list.length; k += 500) {
        for (const r of await manager.getRepository(entity).find({ where: whereIdIn<T>(list.slice(k, k + 500)), select })) out.set(r.id, r);
      }
      return out;
    };
    const vendors = await existing(Vendor, ids((i) => [i.vendorId]), { id: true });
    const subs = await existing(Category, ids((i) => [i.subcategoryId]), { id: true, name: true, parentId: true, active: true });
    const centers = await existing(CostCenter, ids((i) => [i.budgetOwnerId, ...(i.allocation ?? []).map((a) => a.costCenterId)]), { id: true });
    const users = await existing(User, ids((i) => [i.businessOwnerId, i.technicalOwnerId]), { id: true });
    return inputs.map((input) => {
      if (input.vendorId !== undefined && !vendors.has(input.vendorId)) throw referenceNotFound('vendorId', input.vendorId, 'vendor');
      const sub = input.subcategoryId !== undefined ? subs.get(input.subcategoryId) : undefined;
      if (input.subcategoryId !== undefined) {
        if (!sub) throw referenceNotFound('subcategoryId', input.subcategoryId, 'subcategory');
        if (!sub.parentId) throw new CatalogError(CatalogErrorCode.NOT_A_SUBCATEGORY, `subcategoryId: ${sub.name} is a top-level category; choose one of its subcategories`, { field: 'subcategoryId', id: sub.id });
        if (!sub.active) throw new CatalogError(CatalogErrorCode.CATEGORY_INACTIVE, `subcategoryId: ${sub.name} is deactivated`, { field: 'subcategoryId', id: sub.id });
      }
      if (input.budgetOwnerId !== undefined && !centers.has(input.budgetOwnerId)) throw referenceNotFound('budgetOwnerId', input.budgetOwnerId, 'cost center');
      for (const a of input.allocation ?? []) if (!centers.has(a.costCenterId)) throw referenceNotFound('allocation.costCenterId', a.costCenterId, 'cost center');
      for (const field of ['businessOwnerId', 'technicalOwnerId'] as const) {
        const userId = input[field];
        if (userId && !users.has(userId)) throw referenceNotFound(field, userId, 'user');
      }
      return sub?.parentId ?? undefined;
    });
  }

  /** Sets the IT approval inside the caller's transaction (CIO decisions, the review workflow). */
  async setItApprovalInTransaction(
    manager: EntityManager, actor: AuthUser | null, toolId: string,
    input: { status: ItApprovalStatus; rationale: string; conditions?: string | null; version?: number },
  ): Promise<Tool> {
    const problems = itApprovalProblems(input);
    if (problems.length) throw validationFailed(problems.join('; '), problems.map((p) => ({ field: p.split(' ')[0], messages: [p] })));
    const tool = await this.load(manager, toolId);
    const changes: Partial<Tool> = {
      itApprovalStatus: input.status, itApprovalRationale: input.rationale.trim(), itApprovalConditions: storedConditions(input.status, input.conditions),
      itApprovalDecidedById: actor?.id ?? null, itApprovalDecidedAt: new Date(), shadowIt: isShadowIt(tool.lifecycle, input.status),
    };
    await updateVersioned(manager, Tool, 'Tool', toolId, input.version ?? tool.version, changes);
    if (changes.shadowIt !== tool.shadowIt) await this.changeHooks.toolShadowItChanged(manager, toolId, changes.shadowIt!);
    const after = await this.load(manager, toolId);
    await this.audit.record(manager, {
      action: 'tool.it_approval_changed', entityType: 'Tool', entityId: toolId, before: toolSnapshot(tool), after: toolSnapshot(after), ...actorOf(actor),
    });
    return after;
  }

  /** The tool as the API answers it; 404 when it does not exist. */
  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<ToolResponse> {
    return this.toResponse(await this.load(manager, id), manager);
  }

  /** Maps one tool to its response (loads the vendor and category names). */
  async toResponse(tool: Tool, manager: EntityManager = this.dataSource.manager): Promise<ToolResponse> {
    return (await this.toResponses([tool], manager))[0];
  }

  async toResponses(tools: Tool[], manager: EntityManager = this.dataSource.manager): Promise<ToolResponse[]> {
    const names = await this.refNames(manager, tools);
    return tools.map((t) => toToolResponse(t, names, this.config.baseCurrency));
  }

  /** Loads a tool entity; 404 when missing. */
  async load(manager: EntityManager, id: string): Promise<Tool> {
    const tool = await findById(manager, Tool, id);
    if (!tool) throw notFound('Tool', id);
    return tool;
  }

  // ---------------------------------------------------------------- HTTP use cases

  async create(actor: AuthUser, dto: CreateToolDto): Promise<ToolResponse> {
    await this.assertTechnicalFieldsAllowed(actor, dto as unknown as Record<string, unknown>, null);
    const tool = await withTransaction(this.dataSource, (m) => this.createInTransaction(m, actor, dto));
    return this.get(tool.id);
  }

  async update(actor: AuthUser, id: string, dto: UpdateToolDto): Promise<ToolResponse> {
    await this.assertTechnicalFieldsAllowed(actor, dto as unknown as Record<string, unknown>, id);
    await withTransaction(this.dataSource, (m) => this.updateInTransaction(m, actor, id, dto));
    return this.get(id);
  }

  async setItApproval(actor: AuthUser, id: string, dto: ItApprovalDto): Promise<ToolResponse> {
    await withTransaction(this.dataSource, (m) => this.setItApprovalInTransaction(m, actor, id, dto));
    return this.get(id);
  }

  async retire(actor: AuthUser, id: string, dto: RetireToolDto): Promise<ToolResponse> {
    await withTransaction(this.dataSource, (m) => this.updateInTransaction(m, actor, id, { lifecycle: Lifecycle.RETIRED, version: dto.version, retireIntegrations: dto.retireIntegrations }));
    return this.get(id);
  }

  /** Applies a validated change set; used by PATCH, retire and the spreadsheet import. */
  async updateInTransaction(manager: EntityManager, actor: AuthUser | null, id: string, dto: UpdateToolDto): Promise<Tool> {
    const tool = await this.load(manager, id);
    const changes: Partial<Tool> = {};
    const { version, retireIntegrations, ...fields } = dto;
    if (fields.name !== undefined && fields.name.trim() !== tool.name) {
      const name = fields.name.trim();
      if (name.toLowerCase() !== tool.nameKey) await this.assertNameFree(manager, name);
      changes.name = name;
      changes.nameKey = name.toLowerCase();
    }
    // Only what the update names is checked, so an unrelated edit is never blocked by an old reference.
    const categoryId = await this.checkReferences(manager, {
      vendorId: fields.vendorId, subcategoryId: fields.subcategoryId, budgetOwnerId: fields.budgetOwnerId,
      allocation: fields.allocation ?? undefined, businessOwnerId: fields.businessOwnerId, technicalOwnerId: fields.technicalOwnerId,
    });
    if (fields.vendorId !== undefined) changes.vendorId = fields.vendorId;
    if (fields.subcategoryId !== undefined) { changes.subcategoryId = fields.subcategoryId; changes.categoryId = categoryId!; }
    if (fields.budgetOwnerId !== undefined) changes.budgetOwnerId = fields.budgetOwnerId;
    if (fields.allocation !== undefined) changes.allocation = fields.allocation?.length ? fields.allocation.map((a) => ({ costCenterId: a.costCenterId, shareBps: a.shareBps })) : null;
    for (const k of ['description', 'businessOwnerId', 'technicalOwnerId', 'dataClassification', 'ssoEnabled', 'hostingRegion', 'isSystemOfRecord', 'licensedSeats', 'activeUsers', 'website'] as const) {
      if (fields[k] !== undefined) (changes as Record<string, unknown>)[k] = fields[k];
    }
    if (fields.capabilities !== undefined) changes.capabilities = normalizeCapabilities(fields.capabilities);

    let retiring = false;
    if (fields.lifecycle !== undefined && fields.lifecycle !== tool.lifecycle) {
      if (!canMoveLifecycle(tool.lifecycle, fields.lifecycle)) {
        throw new CatalogError(CatalogErrorCode.LIFECYCLE_TRANSITION, `A ${tool.lifecycle} tool cannot become ${fields.lifecycle}`, { from: tool.lifecycle, to: fields.lifecycle });
      }
      changes.lifecycle = fields.lifecycle;
      retiring = fields.lifecycle === Lifecycle.RETIRED;
    }
    const identity = identityChanges(tool, changes);
    const approvalReset = identityChangeResetsApproval(tool.itApprovalStatus, identity, actor?.roles ?? null);
    if (approvalReset) {
      Object.assign(changes, {
        itApprovalStatus: ItApprovalStatus.NOT_REVIEWED, itApprovalConditions: null, itApprovalDecidedById: null, itApprovalDecidedAt: null,
        itApprovalRationale: `Back to NOT_REVIEWED (was ${tool.itApprovalStatus}): ${identity.join(' and ')} changed by ${actor!.email}; IT reviews the tool again`,
      } satisfies Partial<Tool>);
    }
    changes.shadowIt = isShadowIt(changes.lifecycle ?? tool.lifecycle, changes.itApprovalStatus ?? tool.itApprovalStatus);

    if (retiring) {
      const live = await this.retirement.liveDependencies(manager, id);
      if (live.length && !retireIntegrations) {
        throw new CatalogError(CatalogErrorCode.TOOL_HAS_LIVE_INTEGRATIONS, `The tool still has ${live.length} live integration(s); retire them first or send retireIntegrations: true`, { dependencies: live });
      }
      if (live.length) await this.retirement.retireDependencies(manager, actor, id);
    }
    try {
      await updateVersioned(manager, Tool, 'Tool', id, version, changes);
      if (TOOL_COST_ATTRIBUTES.some((f) => f in changes)) await this.changeHooks.toolCostAttributesChanged(manager, id);
      if (changes.shadowIt !== tool.shadowIt) await this.changeHooks.toolShadowItChanged(manager, id, changes.shadowIt);
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(changes.name ?? tool.name);
      throw err;
    }
    if (changes.capabilities) await this.writeCapabilities(manager, id, changes.capabilities, true);
    const after = await this.load(manager, id);
    await this.audit.record(manager, {
      action: retiring ? 'tool.retired' : 'tool.updated', entityType: 'Tool', entityId: id, before: toolSnapshot(tool), after: toolSnapshot(after), ...actorOf(actor),
    });
    if (approvalReset) {
      // Its own event, so the approval's history (and a CIO reading the audit log) shows why it was voided.
      await this.audit.record(manager, {
        action: 'tool.it_approval_reset', entityType: 'Tool', entityId: id, ...actorOf(actor),
        before: { itApprovalStatus: tool.itApprovalStatus, itApprovalRationale: tool.itApprovalRationale, itApprovalConditions: tool.itApprovalConditions },
        after: { itApprovalStatus: after.itApprovalStatus, itApprovalRationale: after.itApprovalRationale, itApprovalConditions: after.itApprovalConditions },
        metadata: { previousStatus: tool.itApprovalStatus, reason: 'identity changed', fields: identity, roles: actor?.roles ?? [] },
      });
    }
    return after;
  }

  async list(q: ToolQueryDto): Promise<Page<ToolResponse>> {
    const { page, pageSize, skip, take } = pageParams(q);
    const sort = resolveSort(q.sort, SORTS, 'name');
    const qb = this.dataSource.getRepository(Tool).createQueryBuilder('t');
    if (q.search) {
      qb.leftJoin(Vendor, 'v', 'v.id = t.vendorId')
        .andWhere("(t.nameKey LIKE :s ESCAPE '!' OR v.nameKey LIKE :s ESCAPE '!' OR LOWER(t.description) LIKE :s ESCAPE '!')", { s: containsPattern(q.search) });
    }
    const eq: [keyof ToolQueryDto, string][] = [
      ['categoryId', 'categoryId'], ['subcategoryId', 'subcategoryId'], ['lifecycle', 'lifecycle'], ['itApproval', 'itApprovalStatus'],
      ['budgetOwnerId', 'budgetOwnerId'], ['businessOwnerId', 'businessOwnerId'], ['vendorId', 'vendorId'], ['dataClassification', 'dataClassification'],
    ];
    for (const [param, column] of eq) if (q[param] !== undefined) qb.andWhere(`t.${column} = :${param}`, { [param]: q[param] });
    if (q.shadowIt !== undefined) qb.andWhere('t.shadowIt = :shadowIt', { shadowIt: q.shadowIt });
    qb.orderBy(sort.column, sort.direction).addOrderBy('t.id', 'ASC').skip(skip).take(take);
    const [rows, total] = await qb.getManyAndCount();
    return { items: await this.toResponses(rows), page, pageSize, total };
  }

  async history(id: string, q: { page?: number; pageSize?: number }): Promise<Page<ToolHistoryEventResponse>> {
    await this.load(this.dataSource.manager, id);
    const { page, pageSize, skip, take } = pageParams(q);
    const [rows, total] = await this.dataSource.getRepository(AuditEvent).findAndCount({
      where: { entityType: 'Tool', entityId: id }, order: { chainSeq: 'DESC' }, skip, take,
    });
    return {
      items: rows.map((e) => ({ id: e.id, occurredAt: e.occurredAt, action: e.action, actorId: e.actorId, actorEmail: e.actorEmail, changes: e.changes, metadata: e.metadata })),
      page, pageSize, total,
    };
  }

  // ---------------------------------------------------------------- helpers

  /** A body naming a field the actor may not set (technical fields: IT, CIO, ADMIN) is refused (403), audited like the guard does. */
  private async assertTechnicalFieldsAllowed(actor: AuthUser, input: Record<string, unknown>, toolId: string | null): Promise<void> {
    await assertFieldsAllowed(this.audit, actor, 'Tool', toolId, input);
  }

  private async assertNameFree(manager: EntityManager, name: string, checkReservations = true): Promise<void> {
    if (await manager.getRepository(Tool).exists({ where: { nameKey: name.toLowerCase() } })) throw nameTaken(name);
    if (checkReservations) await this.changeHooks.assertToolNamesUnreserved(manager, [name]);
  }

  /** 422 REFERENCE_NOT_FOUND for any unknown id; answers the subcategory's top-level category id when a subcategory is given. */
  async checkReferences(manager: EntityManager, input: ToolFieldInput): Promise<string | undefined> {
    return (await this.checkReferencesMany(manager, [input]))[0];
  }

  private async writeCapabilities(manager: EntityManager, toolId: string, tags: string[], replace: boolean): Promise<void> {
    const repo = manager.getRepository(ToolCapability);
    if (replace) await repo.delete({ toolId });
    const keys = [...new Set(tags.map((c) => c.toLowerCase()))];
    if (keys.length) await repo.insert(keys.map((capability) => ({ toolId, capability })));
  }

  private async refNames(manager: EntityManager, tools: Tool[]): Promise<ToolRefNames> {
    const vendorIds = [...new Set(tools.map((t) => t.vendorId))];
    const categoryIds = [...new Set(tools.flatMap((t) => [t.subcategoryId, t.categoryId]))];
    // One plain statement for both kinds of name (every list and detail answer runs it).
    const names: ToolRefNames = { vendors: new Map(), categories: new Map() };
    for (let k = 0; k < Math.max(vendorIds.length, categoryIds.length); k += 500) {
      const v = vendorIds.slice(k, k + 500);
      const c = categoryIds.slice(k, k + 500);
      const parts: string[] = [];
      if (v.length) parts.push(`SELECT 'V' AS kind, id, name FROM vendors WHERE id IN (${v.map(() => '?').join(', ')})`);
      if (c.length) parts.push(`SELECT 'C' AS kind, id, name FROM categories WHERE id IN (${c.map(() => '?').join(', ')})`);
      const rows = await manager.query<{ kind: string; id: string; name: string }[]>(parts.join(' UNION ALL '), [...v, ...c]);
      for (const r of rows) (r.kind === 'V' ? names.vendors : names.categories).set(r.id, r.name);
    }
    return names;
  }
}

/** New tools built and written together by createManyInTransaction. */
const CREATE_SLICE = 1000;
const nameTaken = (name: string) => new CatalogError(CatalogErrorCode.TOOL_NAME_TAKEN, `A tool named "${name}" already exists`);

/** Audit actor override when a caller passes an explicit actor (system work passes null). */
function actorOf(actor: AuthUser | null): { actor?: { id: string | null; email?: string | null } } {
  return actor ? { actor: { id: actor.id, email: actor.email } } : {};
}

/** A new tool's row from validated input (shared by createInTransaction and createManyInTransaction). */
function newTool(input: CreateToolDto, name: string, categoryId: string, actor: AuthUser | null, now: Date): Tool {
  const lifecycle = input.lifecycle ?? Lifecycle.ACTIVE;
  return Object.assign(new Tool(), {
    id: uuidv7(now.getTime()), name, nameKey: name.toLowerCase(), vendorId: input.vendorId, subcategoryId: input.subcategoryId, categoryId: categoryId!,
    description: input.description ?? null, capabilities: normalizeCapabilities(input.capabilities), lifecycle,
    itApprovalStatus: ItApprovalStatus.NOT_REVIEWED, itApprovalRationale: null, itApprovalConditions: null,
    itApprovalDecidedById: null, itApprovalDecidedAt: null,
    businessOwnerId: input.businessOwnerId ?? null, technicalOwnerId: input.technicalOwnerId ?? null, budgetOwnerId: input.budgetOwnerId,
    allocation: input.allocation?.length ? input.allocation.map((a) => ({ costCenterId: a.costCenterId, shareBps: a.shareBps })) : null,
    dataClassification: input.dataClassification ?? DataClassification.NONE, ssoEnabled: input.ssoEnabled ?? false,
    hostingRegion: input.hostingRegion ?? null, isSystemOfRecord: input.isSystemOfRecord ?? false,
    licensedSeats: input.licensedSeats ?? null, activeUsers: input.activeUsers ?? null, website: input.website ?? null,
    shadowIt: isShadowIt(lifecycle, ItApprovalStatus.NOT_REVIEWED), annualCostMinor: null, annualCostCurrency: null,
    createdById: actor?.id ?? null, createdAt: now, updatedAt: now, version: 1,
  } satisfies Tool);
}

