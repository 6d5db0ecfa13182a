import { EntityManager, FindOptionsSelect } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { PeopleDirectory } from '@stackgate/identity';
import { AuthUser, uuidv7, whereIdIn } from '@stackgate/platform';
import { DataClassification, isShadowIt, ItApprovalStatus, Lifecycle } from '../catalog.enums';
import { referenceNotFound, CatalogError, CatalogErrorCode } from '../catalog.errors';
import { Category } from '../categories/category.entity';
import { CostCenter } from '../cost-centers/cost-center.entity';
import { Vendor } from '../vendors/vendor.entity';
import { CreateToolDto } from './dto/tool.dto';
import { Tool, ToolCapability } from './tool.entity';
import { canMoveLifecycle, normalizeCapabilities } from './tool-rules';

/** The pieces every way of writing a tool shares (registration, the import, IT approval). */

export type ToolFieldInput = Partial<CreateToolDto>;

/** New tools built and written together by createManyInTransaction. */
export const CREATE_SLICE = 1000;
export const nameTaken = (name: string) => new CatalogError(CatalogErrorCode.TOOL_NAME_TAKEN, `A tool named "${name}" already exists`);

/** Audit actor override when a caller passes an explicit actor (system work passes null). */
export function actorOf(actor: AuthUser | null): { actor?: { id: string | null; email?: string | null } } {
  return actor ? { actor: { id: actor.id, email: actor.email } } : {};
}

/** A new tool's row from validated input (shared by createInTransaction and createManyInTransaction). */
export function newTool(input: CreateToolDto, name: string, categoryId: string, actor: AuthUser | null, now: Date): Tool {
  const lifecycle = input.lifecycle ?? Lifecycle.ACTIVE;
  return Object.assign(new Tool(), {
    id: uuidv7(now.getTime()),
    name,
    nameKey: name.toLowerCase(),
    vendorId: input.vendorId,
    subcategoryId: input.subcategoryId,
    categoryId,
    description: input.description ?? null,
    capabilities: normalizeCapabilities(input.capabilities),
    lifecycle,
    itApprovalStatus: ItApprovalStatus.NOT_REVIEWED,
    itApprovalRationale: null,
    itApprovalConditions: null,
    itApprovalDecidedById: null,
    itApprovalDecidedAt: null,
    businessOwnerId: input.businessOwnerId ?? null,
    technicalOwnerId: input.technicalOwnerId ?? null,
    budgetOwnerId: input.budgetOwnerId,
    allocation: input.allocation?.length ? input.allocation.map((a) => ({ costCenterId: a.costCenterId, shareBps: a.shareBps })) : null,
    dataClassification: input.dataClassification ?? DataClassification.NONE,
    ssoEnabled: input.ssoEnabled ?? false,
    hostingRegion: input.hostingRegion ?? null,
    isSystemOfRecord: input.isSystemOfRecord ?? false,
    licensedSeats: input.licensedSeats ?? null,
    activeUsers: input.activeUsers ?? null,
    website: input.website ?? null,
    shadowIt: isShadowIt(lifecycle, ItApprovalStatus.NOT_REVIEWED),
    annualCostMinor: null,
    annualCostCurrency: null,
    createdById: actor?.id ?? null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  } satisfies Tool);
}

/** Writes a tool's capability rows (replacing the old ones when `replace`). */
export async function writeCapabilities(manager: EntityManager, toolId: string, tags: string[], replace: boolean): Promise<void> {
  const repo = manager.getRepository(ToolCapability);
  if (replace) await repo.delete({ toolId });
  const keys = [...new Set(tags.map((c) => c.toLowerCase()))];
  if (keys.length) await repo.insert(keys.map((capability) => ({ toolId, capability })));
}

/**
 * Validates the references of many inputs at once (one query per kind of reference, none for a
 * kind no input names; users through identity's PeopleDirectory): 422 REFERENCE_NOT_FOUND, NOT_A_SUBCATEGORY, CATEGORY_INACTIVE. Answers
 * each input's category id (undefined when it names no subcategory).
 */
export async function checkToolReferences(
  manager: EntityManager,
  people: PeopleDirectory,
  inputs: ToolFieldInput[],
): Promise<(string | undefined)[]> {
  const ids = (pick: (i: ToolFieldInput) => (string | null | undefined)[]) => [
    ...new Set(inputs.flatMap(pick).filter((x): x is string => !!x)),
  ];
  const existing = async <T extends { id: string }>(
    entity: new () => T,
    list: string[],
    select: FindOptionsSelect<T>,
  ): Promise<Map<string, T>> => {
    const out = new Map<string, T>();
    for (let start = 0; start < list.length; start += 500) {
      for (const row of await manager.getRepository(entity).find({ where: whereIdIn<T>(list.slice(start, start + 500)), select }))
        out.set(row.id, row);
    }
    return out;
  };
  const vendors = await existing(
    Vendor,
    ids((i) => [i.vendorId]),
    { id: true },
  );
  const subs = await existing(
    Category,
    ids((i) => [i.subcategoryId]),
    { id: true, name: true, parentId: true, active: true },
  );
  const centers = await existing(
    CostCenter,
    ids((i) => [i.budgetOwnerId, ...(i.allocation ?? []).map((a) => a.costCenterId)]),
    { id: true },
  );
  const users = await people.existingIds(
    ids((i) => [i.businessOwnerId, i.technicalOwnerId]),
    manager,
  );
  return inputs.map((input) => {
    if (input.vendorId !== undefined && !vendors.has(input.vendorId)) throw referenceNotFound('vendorId', input.vendorId, 'vendor');
    const sub = input.subcategoryId !== undefined ? subs.get(input.subcategoryId) : undefined;
    if (input.subcategoryId !== undefined) {
      if (!sub) throw referenceNotFound('subcategoryId', input.subcategoryId, 'subcategory');
      if (!sub.parentId)
        throw new CatalogError(
          CatalogErrorCode.NOT_A_SUBCATEGORY,
          `subcategoryId: ${sub.name} is a top-level category; choose one of its subcategories`,
          { field: 'subcategoryId', id: sub.id },
        );
      if (!sub.active)
        throw new CatalogError(CatalogErrorCode.CATEGORY_INACTIVE, `subcategoryId: ${sub.name} is deactivated`, {
          field: 'subcategoryId',
          id: sub.id,
        });
    }
    if (input.budgetOwnerId !== undefined && !centers.has(input.budgetOwnerId))
      throw referenceNotFound('budgetOwnerId', input.budgetOwnerId, 'cost center');
    for (const share of input.allocation ?? [])
      if (!centers.has(share.costCenterId)) throw referenceNotFound('allocation.costCenterId', share.costCenterId, 'cost center');
    for (const field of ['businessOwnerId', 'technicalOwnerId'] as const) {
      const userId = input[field];
      if (userId && !users.has(userId)) throw referenceNotFound(field, userId, 'user');
    }
    return sub?.parentId ?? undefined;
  });
}

/** Its own event, so the approval's history (and a CIO reading the audit log) shows why it was voided. */
export async function auditApprovalReset(
  audit: AuditService,
  manager: EntityManager,
  actor: AuthUser | null,
  tool: Tool,
  after: Tool,
  identity: string[],
): Promise<void> {
  await audit.record(manager, {
    action: 'tool.it_approval_reset',
    entityType: 'Tool',
    entityId: tool.id,
    ...actorOf(actor),
    before: {
      itApprovalStatus: tool.itApprovalStatus,
      itApprovalRationale: tool.itApprovalRationale,
      itApprovalConditions: tool.itApprovalConditions,
    },
    after: {
      itApprovalStatus: after.itApprovalStatus,
      itApprovalRationale: after.itApprovalRationale,
      itApprovalConditions: after.itApprovalConditions,
    },
    metadata: { previousStatus: tool.itApprovalStatus, reason: 'identity changed', fields: identity, roles: actor?.roles ?? [] },
  });
}

/** The fields an update copies as sent (no reference or rule to check). */
const PLAIN_TOOL_FIELDS = [
  'description',
  'businessOwnerId',
  'technicalOwnerId',
  'dataClassification',
  'ssoEnabled',
  'hostingRegion',
  'isSystemOfRecord',
  'licensedSeats',
  'activeUsers',
  'website',
] as const;

export function copyPlainToolFields(fields: Partial<Record<(typeof PLAIN_TOOL_FIELDS)[number], unknown>>, changes: Partial<Tool>): void {
  for (const field of PLAIN_TOOL_FIELDS) {
    if (fields[field] !== undefined) (changes as Record<string, unknown>)[field] = fields[field];
  }
}

/** 422 LIFECYCLE_TRANSITION for a move the lifecycle does not allow. */
export function assertLifecycleMove(from: Lifecycle, to: Lifecycle): void {
  if (!canMoveLifecycle(from, to)) {
    throw new CatalogError(CatalogErrorCode.LIFECYCLE_TRANSITION, `A ${from} tool cannot become ${to}`, { from, to });
  }
}
