/*
 * Governance findings (SPEC §5) as pure functions over small catalog snapshots.
 */
import { overlapSavingMinor } from '@stackgate/catalog';

export interface ToolNode {
  id: string;
  name: string;
  lifecycle: string;
  isSystemOfRecord: boolean;
  subcategoryId: string;
}
export interface Flow {
  sourceToolId: string;
  targetToolId: string;
}

/**
 * Data silos among ACTIVE tools: `isolated` have no active integration at all; `noPathToSystemOfRecord`
 * cannot reach a system of record by following active flows in either direction (a system of
 * record itself is never a silo of the second kind). `flows` must be the ACTIVE integrations only.
 */
export function dataSilos(tools: ToolNode[], flows: Flow[]): { isolated: string[]; noPathToSystemOfRecord: string[] } {
  const adj = new Map<string, string[]>();
  const link = (a: string, b: string) => adj.set(a, [...(adj.get(a) ?? []), b]);
  for (const flow of flows) {
    link(flow.sourceToolId, flow.targetToolId);
    link(flow.targetToolId, flow.sourceToolId);
  }
  // Multi-source BFS from every system of record (over any tool, so paths may pass through non-active tools' flows).
  const reached = new Set<string>();
  const queue = tools.filter((t) => t.isSystemOfRecord).map((t) => t.id);
  for (const id of queue) reached.add(id);
  while (queue.length) {
    const id = queue.shift()!;
    for (const neighbour of adj.get(id) ?? [])
      if (!reached.has(neighbour)) {
        reached.add(neighbour);
        queue.push(neighbour);
      }
  }
  const active = tools.filter((t) => t.lifecycle === 'ACTIVE');
  return {
    isolated: active.filter((t) => !adj.get(t.id)?.length).map((t) => t.id),
    noPathToSystemOfRecord: active.filter((t) => !reached.has(t.id)).map((t) => t.id),
  };
}

export interface OverlapTool {
  id: string;
  subcategoryId: string;
  lifecycle: string;
  annualCostMinor: bigint;
}

/**
 * Subcategories with two or more non-retired tools, except those where several vendors are normal
 * (`multiVendor`: catalog's MULTI_VENDOR_SUBCATEGORIES); saving = group cost − the most expensive
 * tool's cost (OVERLAP_SAVING_BASIS).
 */
export function overlapGroups(
  tools: OverlapTool[],
  multiVendor: ReadonlySet<string> = new Set(),
): { subcategoryId: string; toolIds: string[]; groupCostMinor: bigint; savingMinor: bigint }[] {
  const bySub = new Map<string, OverlapTool[]>();
  for (const tool of tools)
    if (tool.lifecycle !== 'RETIRED' && !multiVendor.has(tool.subcategoryId))
      bySub.set(tool.subcategoryId, [...(bySub.get(tool.subcategoryId) ?? []), tool]);
  return [...bySub.entries()]
    .filter(([, ts]) => ts.length >= 2)
    .map(([subcategoryId, ts]) => {
      const sorted = [...ts].sort((a, b) =>
        a.annualCostMinor === b.annualCostMinor ? a.id.localeCompare(b.id) : a.annualCostMinor > b.annualCostMinor ? -1 : 1,
      );
      const groupCostMinor = ts.reduce((s, t) => s + t.annualCostMinor, 0n);
      return {
        subcategoryId,
        toolIds: sorted.map((t) => t.id),
        groupCostMinor,
        savingMinor: overlapSavingMinor(ts.map((t) => t.annualCostMinor)),
      };
    })
    .sort((a, b) =>
      a.savingMinor === b.savingMinor ? a.subcategoryId.localeCompare(b.subcategoryId) : a.savingMinor > b.savingMinor ? -1 : 1,
    );
}

/**
 * Unused seats valued at the per-seat license cost: (licensed − active) × (annual LICENSE value of
 * the tool's running contracts with seats ÷ their seats), rounded half up to the minor unit.
 */
export function unusedSeatsValue(
  licensedSeats: number,
  activeUsers: number,
  licenseAnnualMinor: bigint,
  contractSeats: number,
): { unused: number; perSeatMinor: bigint; valueMinor: bigint } | null {
  const unused = licensedSeats - activeUsers;
  if (unused <= 0 || contractSeats <= 0) return null;
  const seats = BigInt(contractSeats);
  const perSeatMinor = (licenseAnnualMinor * 2n + seats) / (seats * 2n);
  const valueMinor = (licenseAnnualMinor * BigInt(unused) * 2n + seats) / (seats * 2n);
  return { unused, perSeatMinor, valueMinor };
}

export type UnusedSeats = NonNullable<ReturnType<typeof unusedSeatsValue>>;

/**
 * The tools with unused seats in the order the governance report and the budget-owner digest list
 * them: the largest value first, equal values by tool name. `seatsOf` values a tool (null: nothing unused).
 */
export function rankUnusedSeats<T>(
  tools: readonly T[],
  nameOf: (tool: T) => string,
  seatsOf: (tool: T) => UnusedSeats | null,
): { tool: T; seats: UnusedSeats }[] {
  return tools
    .flatMap((tool) => {
      const seats = seatsOf(tool);
      return seats ? [{ tool, seats }] : [];
    })
    .sort((a, b) =>
      a.seats.valueMinor === b.seats.valueMinor
        ? nameOf(a.tool).localeCompare(nameOf(b.tool))
        : a.seats.valueMinor > b.seats.valueMinor
          ? -1
          : 1,
    );
}
