import { AllocationShare, FULL_SHARE_BPS, mayUseFieldRule, refusedFields, Role, ruleFieldsIn } from '@stackgate/platform';
import { isItApproved, ItApprovalStatus, Lifecycle } from '../catalog.enums';
import { TOOL_TECHNICAL_RULE } from '../field-permissions';

/*
 * The tool's business rules in one place: lifecycle moves, who may touch which fields, IT approval
 * input, and the effective allocation. Pure functions; the service only orchestrates.
 */

/** Allowed lifecycle moves. RETIRED is final: a retired tool is never silently reactivated. */
export const LIFECYCLE_TRANSITIONS: Record<Lifecycle, readonly Lifecycle[]> = {
  [Lifecycle.PROPOSED]: [Lifecycle.APPROVED, Lifecycle.ACTIVE, Lifecycle.RETIRED],
  [Lifecycle.APPROVED]: [Lifecycle.ACTIVE, Lifecycle.RETIRED],
  [Lifecycle.ACTIVE]: [Lifecycle.SUNSETTING, Lifecycle.RETIRED],
  [Lifecycle.SUNSETTING]: [Lifecycle.ACTIVE, Lifecycle.RETIRED],
  [Lifecycle.RETIRED]: [],
};

/** True when `from → to` is allowed; staying in the same state is always allowed (a no-op). */
export function canMoveLifecycle(from: Lifecycle, to: Lifecycle): boolean {
  return from === to || LIFECYCLE_TRANSITIONS[from].includes(to);
}

/** Fields only IT, CIO and ADMIN may set (SPEC §1 "technical fields"): the catalog's field permission table. */
export { TECHNICAL_FIELDS, TECHNICAL_ROLES } from '../field-permissions';

export const mayEditTechnicalFields = (roles: readonly string[]) => mayUseFieldRule(TOOL_TECHNICAL_RULE, roles);

/** The technical fields present in a create/update body (present = not undefined, even if unchanged). */
export function technicalFieldsIn(input: Record<string, unknown>): string[] {
  return ruleFieldsIn(TOOL_TECHNICAL_RULE, input);
}

/** The technical fields a user with `roles` may not send in `input`; empty when allowed. */
export function refusedTechnicalFields(roles: readonly string[], input: Record<string, unknown>): string[] {
  return refusedFields([TOOL_TECHNICAL_RULE], roles, input).flatMap((r) => r.fields);
}

/** What an IT approval was given to: this product (name, regardless of case) of this vendor. */
export const IDENTITY_FIELDS = ['name', 'vendorId'] as const;
/** Who may change an approved tool's identity and keep its approval (IT answers for what it approved). */
export const IDENTITY_KEEPERS: readonly Role[] = [Role.IT, Role.CIO];

/** The identity fields an update really changes (a name that differs only in case is the same tool). */
export function identityChanges(tool: { nameKey: string; vendorId: string }, changes: { nameKey?: string; vendorId?: string }): string[] {
  const out: string[] = [];
  if (changes.nameKey !== undefined && changes.nameKey !== tool.nameKey) out.push('name');
  if (changes.vendorId !== undefined && changes.vendorId !== tool.vendorId) out.push('vendorId');
  return out;
}

/**
 * True when an identity change voids the tool's IT approval: the tool is APPROVED or
 * APPROVED_WITH_CONDITIONS, its name or vendor changes, and the actor is not IT or CIO. It then goes
 * back to NOT_REVIEWED. A REJECTED tool stays rejected (a rename must not erase IT's "no");
 * system work (`roles` null: the review workflow, retirement) keeps it.
 */
export function identityChangeResetsApproval(
  status: ItApprovalStatus,
  changed: readonly string[],
  roles: readonly string[] | null,
): boolean {
  if (!changed.length || roles === null || !isItApproved(status)) return false;
  return !IDENTITY_KEEPERS.some((r) => roles.includes(r));
}

/** Problems with an IT approval decision, or an empty list. */
export function itApprovalProblems(input: { status: ItApprovalStatus; rationale?: string | null; conditions?: string | null }): string[] {
  const problems: string[] = [];
  if (!input.rationale || !input.rationale.trim()) problems.push('rationale is required');
  if (input.status === ItApprovalStatus.APPROVED_WITH_CONDITIONS && !(input.conditions ?? '').trim()) {
    problems.push('conditions are required for APPROVED_WITH_CONDITIONS');
  }
  return problems;
}

/** Conditions are kept only for a conditional approval; any other status clears them. */
export function storedConditions(status: ItApprovalStatus, conditions?: string | null): string | null {
  return status === ItApprovalStatus.APPROVED_WITH_CONDITIONS ? (conditions ?? '').trim() || null : null;
}

/** SPEC §2: the stored allocation, else 100 % to the budget owner. */
export function effectiveAllocation(stored: readonly AllocationShare[] | null | undefined, budgetOwnerId: string): AllocationShare[] {
  return stored && stored.length
    ? stored.map((a) => ({ costCenterId: a.costCenterId, shareBps: a.shareBps }))
    : [{ costCenterId: budgetOwnerId, shareBps: FULL_SHARE_BPS }];
}

/** Capability tags: trimmed, lower-cased for matching, deduplicated, order kept. */
export function normalizeCapabilities(tags: readonly string[] | null | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags ?? []) {
    const tag = raw.trim();
    const key = tag.toLowerCase();
    if (!tag || seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}
