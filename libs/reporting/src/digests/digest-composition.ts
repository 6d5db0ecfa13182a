import { DECIDER_ROLE, WaitingRequest } from '@stackgate/procurement';
import { formatMinor, label, Role } from '@stackgate/platform';
import { rankUnusedSeats, unusedSeatsValue } from '../governance/governance';

const DAY_MS = 86_400_000;
const wholeDays = (from: Date, to: Date) => Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
/** Money as the e-mails write it: "12000.00 EUR". */
export const moneyText = (minor: bigint, currency: string) => `${formatMinor(minor, currency)} ${currency}`;

// ---- reviewer digest ---------------------------------------------------------------------------

export interface Reviewer {
  id: string;
  roles: ReadonlySet<Role>;
}

export interface ReviewItem {
  requestId: string;
  title: string;
  /** What waits: "Marketing stage decision", "IT assessment". */
  what: string;
  dueDate: string | null;
  overdue: boolean;
  daysOverdue: number;
  ageDays: number;
  kind: 'DECISION' | 'ASSESSMENT';
}

/**
 * What waits for one reviewer, overdue first (longest overdue first), then by due date, undated
 * last: the stages they may decide (their role decides it, not their own request, no other stage of
 * it decided by them: the awaiting-me queue's rules) and, for IT, the assessments of the round.
 */
export function reviewerItems(reviewer: Reviewer, waiting: readonly WaitingRequest[], now: Date): ReviewItem[] {
  const items: (ReviewItem & { due: number })[] = [];
  for (const request of waiting) {
    if (request.requesterId === reviewer.id) continue;
    const base = {
      requestId: request.requestId,
      title: request.title,
      dueDate: request.dueAt ? request.dueAt.toISOString().slice(0, 10) : null,
      overdue: !!request.dueAt && request.dueAt < now,
      daysOverdue: request.dueAt && request.dueAt < now ? Math.max(1, wholeDays(request.dueAt, now)) : 0,
      ageDays: request.openedAt ? wholeDays(request.openedAt, now) : 0,
      due: request.dueAt?.getTime() ?? Number.MAX_SAFE_INTEGER,
    };
    const decidedOther = request.deciders.some((d) => d.userId === reviewer.id && d.stage !== request.stage);
    if (reviewer.roles.has(DECIDER_ROLE[request.stage] as Role) && !decidedOther)
      items.push({ ...base, kind: 'DECISION', what: `${label(request.stage, 'Stage')} stage decision` });
    if (request.awaitsAssessment && reviewer.roles.has(Role.IT)) items.push({ ...base, kind: 'ASSESSMENT', what: 'IT assessment' });
  }
  items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.due - b.due || a.title.localeCompare(b.title));
  return items.map(({ due: _due, ...item }) => item);
}

/** The reviewer digest's template data; null when nothing waits (no digest then). */
export function reviewerDigest(name: string, items: ReviewItem[]) {
  if (!items.length) return null;
  const overdueCount = items.filter((i) => i.overdue).length;
  return {
    name,
    count: items.length,
    single: items.length === 1,
    overdueCount,
    singleOverdue: overdueCount === 1,
    decisionCount: items.filter((i) => i.kind === 'DECISION').length,
    assessmentCount: items.filter((i) => i.kind === 'ASSESSMENT').length,
    items,
  };
}

/** Roles whose holders get the reviewer digest. */
export const REVIEWER_ROLES: readonly Role[] = [...new Set([...Object.values(DECIDER_ROLE).map((r) => r as Role), Role.IT])];

// ---- budget-owner digest -----------------------------------------------------------------------

export interface RenewalInput {
  toolId: string;
  toolName: string;
  reference: string | null;
  cancelByDate: string;
  endDate: string;
  autoRenew: boolean;
  annualValueMinor: bigint;
  currency: string;
}

export interface SeatsInput {
  toolId: string;
  toolName: string;
  licensedSeats: number;
  activeUsers: number;
  /** Running licence contracts of the tool: their annual value in the base currency and their seats. */
  licenceValueBaseMinor: bigint;
  licenceSeats: number;
}

/**
 * The budget-owner digest's template data; null when there is nothing to say. Renewal amounts are
 * converted to the base currency with `rates` (currency → base units per unit, as finance stores
 * them); one without a rate is shown in its own currency and left out of the total, said so.
 */
export function budgetOwnerDigest(
  name: string,
  input: { renewals: RenewalInput[]; seats: SeatsInput[]; asOf: string; days: number; base: string },
  convert: (minor: bigint, currency: string) => bigint | null,
) {
  const renewals = [...input.renewals]
    .sort((a, b) => a.cancelByDate.localeCompare(b.cancelByDate) || a.toolName.localeCompare(b.toolName))
    .map((renewal) => {
      const inBase = renewal.currency === input.base ? renewal.annualValueMinor : convert(renewal.annualValueMinor, renewal.currency);
      return {
        toolId: renewal.toolId,
        toolName: renewal.toolName,
        reference: renewal.reference,
        cancelByDate: renewal.cancelByDate,
        pastCancelBy: renewal.cancelByDate < input.asOf,
        endDate: renewal.endDate,
        autoRenew: renewal.autoRenew,
        baseMinor: inBase,
        annualValue: inBase === null ? moneyText(renewal.annualValueMinor, renewal.currency) : moneyText(inBase, input.base),
        converted: inBase !== null && renewal.currency !== input.base,
        originalValue: moneyText(renewal.annualValueMinor, renewal.currency),
      };
    });
  const unused = rankUnusedSeats(
    input.seats,
    (tool) => tool.toolName,
    (tool) => unusedSeatsValue(tool.licensedSeats, tool.activeUsers, tool.licenceValueBaseMinor, tool.licenceSeats),
  ).map(({ tool, seats }) => ({
    toolId: tool.toolId,
    toolName: tool.toolName,
    licensedSeats: tool.licensedSeats,
    activeUsers: tool.activeUsers,
    unusedSeats: seats.unused,
    valueMinor: seats.valueMinor,
    value: moneyText(seats.valueMinor, input.base),
    perSeat: moneyText(seats.perSeatMinor, input.base),
  }));
  if (!renewals.length && !unused.length) return null;
  const renewalTotal = renewals.reduce((sum, r) => sum + (r.baseMinor ?? 0n), 0n);
  const unconverted = renewals.filter((r) => r.baseMinor === null).length;
  const unusedTotal = unused.reduce((sum, u) => sum + u.valueMinor, 0n);
  return {
    name,
    days: input.days,
    renewalCount: renewals.length,
    singleRenewal: renewals.length === 1,
    renewalValue:
      moneyText(renewalTotal, input.base) + (unconverted ? ` (without ${unconverted} in another currency: no exchange rate)` : ''),
    renewals: renewals.map(({ baseMinor: _minor, ...rest }) => rest),
    unusedCount: unused.length,
    unusedSeats: unused.reduce((sum, u) => sum + u.unusedSeats, 0),
    unusedValue: moneyText(unusedTotal, input.base),
    unused: unused.map(({ valueMinor: _minor, ...rest }) => rest),
  };
}
