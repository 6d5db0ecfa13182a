import { AuditEvent, hashEvent } from '@stackgate/audit';

/*
 * An independent model of SPEC §4 for black-box ledger checks (deliberately not the product's
 * functions): monthly accrual of a contract's committed spend, the largest-remainder split of an
 * amount across an allocation, and the ledger totals a set of contracts and spend entries must
 * produce. Plus a verifier of the per-entity audit hash chain (SPEC §7).
 */

export type Share = { costCenterId: string; shareBps: number };
export type Money = { amount: string; currency: string };
export interface ContractBody {
  id: string;
  toolId: string;
  startDate: string;
  termMonths: number;
  billing: string;
  amount: Money;
  costType: string;
  allocation: Share[];
  version: number;
}
export interface SpendBody {
  id: string;
  toolId: string;
  contractId: string | null;
  date: string;
  costType: string;
  amount: Money;
  allocation: Share[] | null;
}
export interface ToolBody {
  id: string;
  budgetOwnerId: string;
  allocation: Share[] | null;
}

export const toMinor = (amount: string): bigint => {
  const neg = amount.startsWith('-');
  const [whole, frac = ''] = amount.replace('-', '').split('.');
  const magnitude = BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
  return neg ? -magnitude : magnitude;
};

/** yyyymm of the month `n` months after `start` ("YYYY-MM-DD"). */
export const monthAfter = (start: string, months: number): number => {
  const idx = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + months;
  return Math.floor(idx / 12) * 100 + (idx % 12) + 1;
};

const PERIOD: Record<string, number> = { MONTHLY: 1, QUARTERLY: 3, ANNUAL: 12 };

/** Committed spend per month: each billing period's amount spread evenly over its months, earlier months taking the remainder. */
export function accrual(contract: Pick<ContractBody, 'startDate' | 'termMonths' | 'billing' | 'amount'>): [number, bigint][] {
  const amount = toMinor(contract.amount.amount);
  if (contract.billing === 'ONE_TIME') return [[monthAfter(contract.startDate, 0), amount]];
  const period = PERIOD[contract.billing];
  const out: [number, bigint][] = [];
  for (let offset = 0; offset < contract.termMonths; offset += period) {
    const months = Math.min(period, contract.termMonths - offset);
    const base = amount / BigInt(months);
    const rest = Number(amount % BigInt(months));
    for (let i = 0; i < months; i++) out.push([monthAfter(contract.startDate, offset + i), base + (i < rest ? 1n : 0n)]);
  }
  return out;
}

/** Largest remainder: floor every share, then one unit each to the largest remainders (ties to the earlier share). */
export function split(total: bigint, allocation: Share[]): [string, bigint][] {
  if (total < 0n) return split(-total, allocation).map(([cc, v]) => [cc, -v]);
  const exact = allocation.map((a) => total * BigInt(a.shareBps));
  const parts = exact.map((x) => x / 10000n);
  let left = total - parts.reduce((s, p) => s + p, 0n);
  const order = allocation
    .map((_, i) => i)
    .sort((left, right) => {
      const ra = exact[left] % 10000n,
        rb = exact[right] % 10000n;
      return ra === rb ? left - right : ra > rb ? -1 : 1;
    });
  for (let rank = 0; left > 0n; rank++, left--) parts[order[rank]] += 1n;
  return allocation.map((a, i) => [a.costCenterId, parts[i]]);
}

/** The ledger rows a contract must have: month × cost center, zero parts carry nothing. */
export function contractRows(contract: ContractBody): string[] {
  return accrual(contract)
    .flatMap(([month, amt]) =>
      split(amt, contract.allocation)
        .filter(([, v]) => v !== 0n)
        .map(([cc, v]) => `${month}|${cc}|${v}`),
    )
    .sort();
}

export const toolAllocation = (tool: ToolBody): Share[] =>
  tool.allocation?.length ? tool.allocation : [{ costCenterId: tool.budgetOwnerId, shareBps: 10000 }];

/** Expected ledger totals per (month, cost center, basis) from the records read back over the API. */
export function expectedTotals(contracts: ContractBody[], spend: SpendBody[], tools: Map<string, ToolBody>): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  const add = (key: string, amount: bigint) => {
    if (amount !== 0n) totals.set(key, (totals.get(key) ?? 0n) + amount);
  };
  for (const contract of contracts)
    for (const [month, amt] of accrual(contract))
      for (const [cc, part] of split(amt, contract.allocation)) add(`${month}|${cc}|COMMITTED`, part);
  const byId = new Map(contracts.map((c) => [c.id, c]));
  for (const entry of spend) {
    const allocation = entry.allocation?.length
      ? entry.allocation
      : entry.contractId
        ? byId.get(entry.contractId)!.allocation
        : toolAllocation(tools.get(entry.toolId)!);
    const month = Number(entry.date.slice(0, 4)) * 100 + Number(entry.date.slice(5, 7));
    for (const [cc, part] of split(toMinor(entry.amount.amount), allocation)) add(`${month}|${cc}|ACTUAL`, part);
  }
  for (const [key, total] of totals) if (total === 0n) totals.delete(key);
  return totals;
}

/**
 * Problems in the audit chain of one entity (events ordered by chainSeq): sequence numbers must run
 * 1, 2, 3…, each event must carry the previous event's hash, and every hash must be recomputable
 * from the event's content (hashEvent of libs/audit, by the event's hash version). An empty list means intact.
 */
export function auditChainProblems(events: AuditEvent[]): string[] {
  const problems: string[] = [];
  events.forEach((event, index) => {
    const where = `${event.entityType} ${event.entityId} #${index + 1}`;
    if (event.chainSeq !== index + 1) problems.push(`${where}: chainSeq ${event.chainSeq}`);
    if (event.prevHash !== (index === 0 ? null : events[index - 1].hash))
      problems.push(`${where}: prevHash does not point at the previous event`);
    if (event.hash !== hashEvent(event)) problems.push(`${where}: hash does not match the content`);
  });
  return problems;
}

/** The ledger rows a spend entry must have under its effective allocation (own, else the contract's, else the tool's). */
export function spendRows(entry: SpendBody, allocation: Share[]): string[] {
  const month = Number(entry.date.slice(0, 4)) * 100 + Number(entry.date.slice(5, 7));
  return split(toMinor(entry.amount.amount), allocation)
    .filter(([, v]) => v !== 0n)
    .map(([cc, v]) => `${month}|${cc}|${v}`)
    .sort();
}
