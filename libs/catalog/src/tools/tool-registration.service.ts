import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { PeopleDirectory } from '@stackgate/identity';
import { AuthUser, insertRows, isUniqueViolation, updateVersioned, withTransaction } from '@stackgate/platform';
import { isShadowIt, ItApprovalStatus, Lifecycle } from '../catalog.enums';
import { CatalogError, CatalogErrorCode } from '../catalog.errors';
import { CatalogChangeHooks, ShadowItEntry, TOOL_COST_ATTRIBUTES } from '../catalog-change-hooks';
import { assertFieldsAllowed } from '../field-permissions';
import { CreateToolDto, RetireToolDto, ToolResponse, UpdateToolDto } from './dto/tool.dto';
import { Tool, ToolCapability } from './tool.entity';
import { ToolRetirementHooks } from './tool-retirement';
import { identityChangeResetsApproval, identityChanges, normalizeCapabilities } from './tool-rules';
import { ToolQueriesService } from './tool-queries.service';
import { toolSnapshot } from './tool-views';
import {
  actorOf,
  assertLifecycleMove,
  auditApprovalReset,
  checkToolReferences,
  copyPlainToolFields,
  CREATE_SLICE,
  nameTaken,
  newTool,
  ToolFieldInput,
  writeCapabilities,
} from './tool-writes';

/**
 * Registering tools in the catalog and keeping them up to date: create (one, or many for the import), update, retire; the name check (and
 * the reservation hook for names a request holds) and the reset of the IT approval when a tool's identity changes.
 */
@Injectable()
export class ToolRegistrationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly retirement: ToolRetirementHooks,
    private readonly changeHooks: CatalogChangeHooks,
    private readonly queries: ToolQueriesService,
    private readonly people: PeopleDirectory,
  ) {}

  async create(actor: AuthUser, dto: CreateToolDto): Promise<ToolResponse> {
    // A body naming a field the actor may not set (technical fields: IT, CIO, ADMIN) is refused (403), audited like the guard does.
    await assertFieldsAllowed(this.audit, actor, 'Tool', null, dto);
    const tool = await withTransaction(this.dataSource, (m) => this.createInTransaction(m, actor, dto));
    return this.queries.get(tool.id);
  }

  async update(actor: AuthUser, id: string, dto: UpdateToolDto): Promise<ToolResponse> {
    await assertFieldsAllowed(this.audit, actor, 'Tool', id, dto);
    await withTransaction(this.dataSource, (m) => this.updateInTransaction(m, actor, id, dto));
    return this.queries.get(id);
  }

  async retire(actor: AuthUser, id: string, dto: RetireToolDto): Promise<ToolResponse> {
    await withTransaction(this.dataSource, (m) =>
      this.updateInTransaction(m, actor, id, {
        lifecycle: Lifecycle.RETIRED,
        version: dto.version,
        retireIntegrations: dto.retireIntegrations,
      }),
    );
    return this.queries.get(id);
  }

  /**
   * Creates a tool inside the caller's transaction: validates references (422 REFERENCE_NOT_FOUND), keeps
   * nameKey/categoryId/shadowIt/capability rows in sync, audits 'tool.created'. Field-level role checks are the HTTP layer's job (see
   * create()); `actor` is only recorded. A name reserved through CatalogChangeHooks is refused (409 TOOL_NAME_RESERVED), except for the
   * holder of the reservation creating its tool (`reservationHolder`: the approved request).
   */
  async createInTransaction(
    manager: EntityManager,
    actor: AuthUser | null,
    input: CreateToolDto,
    opts: { reservationHolder?: boolean } = {},
  ): Promise<Tool> {
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
    await writeCapabilities(manager, tool.id, tool.capabilities, false);
    await this.audit.record(manager, {
      action: 'tool.created',
      entityType: 'Tool',
      entityId: tool.id,
      after: toolSnapshot(tool),
      ...actorOf(actor),
    });
    if (tool.shadowIt) await this.changeHooks.toolsEnteredShadowIt(manager, [{ id: tool.id, name: tool.name }], actor, 'registered');
    return tool;
  }

  /**
   * Creates many tools in the caller's transaction (the spreadsheet import): the same rows, checks (409 TOOL_NAME_TAKEN, 422
   * REFERENCE_NOT_FOUND …) and audit events as createInTransaction for each in turn, in a few statements per 500 tools instead of about
   * ten per tool. Answers how many.
   *
   * The rows are built a slice of CREATE_SLICE tools at a time, so that a 50,000-row file's tools and events are never all in memory. The
   * statements queue on the transaction's one connection and run in order: while the database writes one slice (tools, capabilities, then
   * their audit events), this process builds and hashes the next; it never runs more than two slices ahead.
   *
   * namesChecked: the caller has already looked every name up in this same transaction (the
   * import's plan), so the lookup is not repeated; the unique index still refuses a duplicate (409).
   */
  async createManyInTransaction(
    manager: EntityManager,
    actor: AuthUser | null,
    inputs: CreateToolDto[],
    opts: { namesChecked?: boolean; shadowIt?: ShadowItEntry[] } = {},
  ): Promise<number> {
    if (!inputs.length) return 0;
    const names = inputs.map((i) => i.name.trim());
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name.toLowerCase())) throw nameTaken(name);
      seen.add(name.toLowerCase());
    }
    const keys = opts.namesChecked ? [] : [...seen];
    for (let start = 0; start < keys.length; start += 500) {
      const taken = await manager
        .getRepository(Tool)
        .findOne({ where: { nameKey: In(keys.slice(start, start + 500)) }, select: { id: true, name: true } });
      if (taken) throw nameTaken(names.find((n) => n.toLowerCase() === taken.name.toLowerCase()) ?? taken.name);
    }
    await this.changeHooks.assertToolNamesUnreserved(manager, names); // also when the caller checked the catalog itself
    const categoryIds = await checkToolReferences(manager, this.people, inputs);
    const now = new Date();
    const settled = (promise: Promise<unknown>) => {
      promise.catch(() => undefined);
      return promise;
    }; // awaited later; not an unhandled rejection meanwhile
    let written: Promise<unknown> = Promise.resolve(); // every statement of the slices so far
    let twoBack: Promise<unknown> = Promise.resolve();
    const shadow: ShadowItEntry[] = opts.shadowIt ?? [];
    try {
      for (let start = 0; start < inputs.length; start += CREATE_SLICE) {
        await twoBack; // backpressure: at most two slices built and not yet written
        const tools = inputs
          .slice(start, start + CREATE_SLICE)
          .map((input, i) => newTool(input, names[start + i], categoryIds[start + i]!, actor, now));
        for (const tool of tools) if (tool.shadowIt) shadow.push({ id: tool.id, name: tool.name });
        const capabilityRows = tools.flatMap((t) =>
          [...new Set(t.capabilities.map((c) => c.toLowerCase()))].map((capability) => ({ toolId: t.id, capability })),
        );
        const rows = settled(
          written.then(() => insertRows(manager, Tool, tools)).then(() => insertRows(manager, ToolCapability, capabilityRows)),
        );
        const events = await this.audit.prepareMany(
          manager,
          tools.map((tool) => ({
            action: 'tool.created',
            entityType: 'Tool',
            entityId: tool.id,
            after: toolSnapshot(tool),
            ...actorOf(actor),
          })),
          { newEntities: true },
        );
        twoBack = written;
        written = settled(rows.then(() => this.audit.insertPrepared(manager, events)));
      }
      await written;
    } catch (err) {
      await written.catch(() => undefined); // nothing of this call is still queued when the caller rolls back
      if (isUniqueViolation(err)) throw new CatalogError(CatalogErrorCode.TOOL_NAME_TAKEN, 'A tool of this file already exists');
      throw err;
    }
    // The caller that collects them (the import) reports them once for its whole file.
    if (!opts.shadowIt) await this.changeHooks.toolsEnteredShadowIt(manager, shadow, actor, 'registered');
    return inputs.length;
  }

  /** Applies a validated change set; used by PATCH, retire and the spreadsheet import. */
  async updateInTransaction(manager: EntityManager, actor: AuthUser | null, id: string, dto: UpdateToolDto): Promise<Tool> {
    const tool = await this.queries.load(manager, id);
    const { version, retireIntegrations, ...fields } = dto;
    const { changes, retiring } = await this.changeSet(manager, tool, fields);
    const identity = identityChanges(tool, changes);
    const approvalReset = identityChangeResetsApproval(tool.itApprovalStatus, identity, actor?.roles ?? null);
    if (approvalReset) {
      Object.assign(changes, {
        itApprovalStatus: ItApprovalStatus.NOT_REVIEWED,
        itApprovalConditions: null,
        itApprovalDecidedById: null,
        itApprovalDecidedAt: null,
        itApprovalRationale:
          `Back to NOT_REVIEWED (was ${tool.itApprovalStatus}): ${identity.join(' and ')} changed by ${actor!.email}; ` +
          'IT reviews the tool again',
      } satisfies Partial<Tool>);
    }
    changes.shadowIt = isShadowIt(changes.lifecycle ?? tool.lifecycle, changes.itApprovalStatus ?? tool.itApprovalStatus);

    if (retiring) await this.retirement.retireWithTool(manager, actor, id, retireIntegrations);
    await this.writeChanges(manager, tool, version, changes);
    const after = await this.queries.load(manager, id);
    if (after.shadowIt && !tool.shadowIt)
      await this.changeHooks.toolsEnteredShadowIt(manager, [{ id, name: after.name }], actor, 'updated');
    await this.audit.record(manager, {
      action: retiring ? 'tool.retired' : 'tool.updated',
      entityType: 'Tool',
      entityId: id,
      before: toolSnapshot(tool),
      after: toolSnapshot(after),
      ...actorOf(actor),
    });
    if (approvalReset) await auditApprovalReset(this.audit, manager, actor, tool, after, identity);
    return after;
  }

  /**
   * Stores the tool's annual cost, which the finance library derives from its active contracts (null when it has none), in the caller's
   * transaction. A derived figure: written without a version bump, an updatedAt change or an audit event, and no change hook runs.
   */
  async setAnnualCostInTransaction(
    manager: EntityManager,
    toolId: string,
    annualCost: { minor: bigint; currency: string } | null,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(Tool)
      .set({ annualCostMinor: annualCost?.minor ?? null, annualCostCurrency: annualCost?.currency ?? null })
      .where('id = :id', { id: toolId })
      .execute();
  }

  /** The stored changes an update asks for (name, references, plain fields, lifecycle); 409/422 for a bad one. */
  private async changeSet(
    manager: EntityManager,
    tool: Tool,
    fields: Omit<UpdateToolDto, 'version' | 'retireIntegrations'>,
  ): Promise<{ changes: Partial<Tool>; retiring: boolean }> {
    const changes: Partial<Tool> = {};
    if (fields.name !== undefined && fields.name.trim() !== tool.name) {
      const name = fields.name.trim();
      if (name.toLowerCase() !== tool.nameKey) await this.assertNameFree(manager, name);
      changes.name = name;
      changes.nameKey = name.toLowerCase();
    }
    // Only what the update names is checked, so an unrelated edit is never blocked by an old reference.
    const categoryId = await this.checkReferences(manager, {
      vendorId: fields.vendorId,
      subcategoryId: fields.subcategoryId,
      budgetOwnerId: fields.budgetOwnerId,
      allocation: fields.allocation ?? undefined,
      businessOwnerId: fields.businessOwnerId,
      technicalOwnerId: fields.technicalOwnerId,
    });
    if (fields.vendorId !== undefined) changes.vendorId = fields.vendorId;
    if (fields.subcategoryId !== undefined) {
      changes.subcategoryId = fields.subcategoryId;
      changes.categoryId = categoryId!;
    }
    if (fields.budgetOwnerId !== undefined) changes.budgetOwnerId = fields.budgetOwnerId;
    if (fields.allocation !== undefined)
      changes.allocation = fields.allocation?.length
        ? fields.allocation.map((a) => ({ costCenterId: a.costCenterId, shareBps: a.shareBps }))
        : null;
    copyPlainToolFields(fields, changes);
    if (fields.capabilities !== undefined) changes.capabilities = normalizeCapabilities(fields.capabilities);
    if (fields.lifecycle === undefined || fields.lifecycle === tool.lifecycle) return { changes, retiring: false };
    assertLifecycleMove(tool.lifecycle, fields.lifecycle);
    changes.lifecycle = fields.lifecycle;
    return { changes, retiring: fields.lifecycle === Lifecycle.RETIRED };
  }

  /** The guarded write of an update, the change hooks it triggers, and the capability rows. */
  private async writeChanges(manager: EntityManager, tool: Tool, version: number, changes: Partial<Tool>): Promise<void> {
    try {
      await updateVersioned(manager, Tool, 'Tool', tool.id, version, changes);
      if (TOOL_COST_ATTRIBUTES.some((f) => f in changes)) await this.changeHooks.toolCostAttributesChanged(manager, tool.id);
      if (changes.shadowIt !== tool.shadowIt) await this.changeHooks.toolShadowItChanged(manager, tool.id, changes.shadowIt!);
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(changes.name ?? tool.name);
      throw err;
    }
    if (changes.capabilities) await writeCapabilities(manager, tool.id, changes.capabilities, true);
  }

  private async assertNameFree(manager: EntityManager, name: string, checkReservations = true): Promise<void> {
    if (await manager.getRepository(Tool).exists({ where: { nameKey: name.toLowerCase() } })) throw nameTaken(name);
    if (checkReservations) await this.changeHooks.assertToolNamesUnreserved(manager, [name]);
  }

  /** 422 REFERENCE_NOT_FOUND for any unknown id; answers the subcategory's top-level category id when a subcategory is given. */
  async checkReferences(manager: EntityManager, input: ToolFieldInput): Promise<string | undefined> {
    return (await checkToolReferences(manager, this.people, [input]))[0];
  }
}
