import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CatalogQueries, MatchableTool } from '@stackgate/catalog';
import { FinanceQueries } from '@stackgate/finance';
import { APP_CONFIG, AppConfig, convertMinor } from '@stackgate/platform';
import { AppMatchBasis, appMatcher } from './app-matching';
import { IdpApp } from './idp-app.entity';
import { IdpSource } from './idp-presets';
import { ToolUtilisation } from './tool-utilisation.entity';
import { aggregateUsage, AppUsage, appKey, mergeUsage, unusedSeatValue, UsageRow, usageAsOf } from './usage-rules';

export type EvidenceChange = 'NEW' | 'UPDATED' | 'UNCHANGED';

/** One app of the file, with the tool it matched (if any) and what the import does to its record. */
export interface EvaluatedApp {
  key: string;
  usage: AppUsage;
  tool: { id: string; name: string; by: AppMatchBasis } | null;
  stored: IdpApp | undefined;
  change: EvidenceChange;
}

/** One matched tool's utilisation for the file's month, and what the import does to it. */
export interface EvaluatedTool {
  tool: MatchableTool;
  usage: AppUsage;
  figures: Omit<ToolUtilisation, 'id' | 'importedAt'>;
  stored: ToolUtilisation | undefined;
  change: EvidenceChange;
  /** The tool's activeUsers becomes the file's 30-day figure unless a later month is already recorded. */
  updatesActiveUsers: boolean;
  notes: string[];
}

export interface UsageEvaluation {
  source: IdpSource;
  asOf: string | null;
  month: string | null;
  currency: string;
  apps: EvaluatedApp[];
  tools: EvaluatedTool[];
}

const FIGURES: (keyof ToolUtilisation)[] = [
  'source',
  'seats',
  'assignedUsers',
  'activeUsers30',
  'activeUsers90',
  'unusedSeats',
  'perSeatMinor',
  'unusedValueMinor',
  'currency',
  'asOf',
];
const APP_FIGURES: (keyof IdpApp)[] = [
  'name',
  'toolId',
  'assignedUsers',
  'activeUsers30',
  'activeUsers90',
  'firstSeen',
  'lastSeen',
  'asOf',
];

const same = <T>(a: T, b: T, fields: (keyof T)[]) => fields.every((f) => String(a[f] ?? '') === String(b[f] ?? ''));

/**
 * What an identity-provider file says, read in the caller's transaction and writing nothing: per-app figures as of
 * the file's latest day, each app matched to a live tool (app-matching.ts), per matched tool the utilisation of
 * the month (contracts read through FinanceQueries), each compared with what is stored. The dry run reports it;
 * the commit writes it (IdpUsageService.record).
 */
@Injectable()
export class UsageEvaluator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly catalog: CatalogQueries,
    private readonly finance: FinanceQueries,
  ) {}

  async evaluate(manager: EntityManager, source: IdpSource, rows: readonly UsageRow[]): Promise<UsageEvaluation> {
    const currency = this.config.baseCurrency;
    const asOf = usageAsOf(rows);
    if (!asOf) return { source, asOf: null, month: null, currency, apps: [], tools: [] };
    const month = asOf.slice(0, 7);
    const tools = await this.catalog.liveToolsForMatching(manager);
    const toolById = new Map(tools.map((t) => [t.id, t]));
    const match = appMatcher(tools);
    const usages = aggregateUsage(rows, asOf);
    const storedApps = await this.storedApps(manager, source, usages);
    const apps: EvaluatedApp[] = usages.map((usage) => {
      const found = match(usage.app);
      const key = appKey(usage.app);
      const stored = storedApps.get(key);
      const tool = found ? { id: found.toolId, name: found.toolName, by: found.by } : null;
      const next = { ...appFigures(usage, asOf), toolId: tool?.id ?? null } as IdpApp;
      return { key, usage, tool, stored, change: !stored ? 'NEW' : same(next, stored, APP_FIGURES) ? 'UNCHANGED' : 'UPDATED' };
    });

    const byTool = new Map<string, AppUsage[]>();
    for (const app of apps) if (app.tool) byTool.set(app.tool.id, [...(byTool.get(app.tool.id) ?? []), app.usage]);
    const toolIds = [...byTool.keys()];
    const contracts = await this.contractValues(manager, toolIds, asOf, currency);
    const storedMonths = toolIds.length ? await manager.getRepository(ToolUtilisation).find({ where: { toolId: In(toolIds) } }) : [];
    const evaluated = toolIds.map((toolId): EvaluatedTool => {
      const tool = toolById.get(toolId)!;
      const usage = mergeUsage(tool.name, byTool.get(toolId)!);
      const contract = contracts.get(toolId);
      const notes: string[] = [];
      if (contract?.missingRate) notes.push(`no exchange rate for ${contract.missingRate} up to ${month}: unused seats are not valued`);
      const seats = tool.licensedSeats ?? (contract && contract.seats > 0 ? contract.seats : null);
      const valued = unusedSeatValue(seats, usage.activeUsers30, contract && !contract.missingRate ? contract : null);
      const figures = {
        toolId,
        month,
        source,
        seats,
        assignedUsers: usage.assignedUsers,
        activeUsers30: usage.activeUsers30,
        activeUsers90: usage.activeUsers90,
        ...valued,
        currency,
        asOf,
      };
      const ofTool = storedMonths.filter((s) => s.toolId === toolId);
      const stored = ofTool.find((s) => s.month === month);
      const laterMonth = ofTool.some((s) => s.month > month);
      return {
        tool,
        usage,
        figures,
        stored,
        change: !stored ? 'NEW' : same(figures as ToolUtilisation, stored, FIGURES) ? 'UNCHANGED' : 'UPDATED',
        updatesActiveUsers: !laterMonth && tool.activeUsers !== usage.activeUsers30,
        notes,
      };
    });
    return { source, asOf, month, currency, apps, tools: evaluated.sort((a, b) => a.tool.name.localeCompare(b.tool.name)) };
  }

  private async storedApps(manager: EntityManager, source: IdpSource, usages: AppUsage[]): Promise<Map<string, IdpApp>> {
    const out = new Map<string, IdpApp>();
    const keys = [...new Set(usages.map((u) => appKey(u.app)))];
    for (let start = 0; start < keys.length; start += 500) {
      const found = await manager.getRepository(IdpApp).find({ where: { source, appKey: In(keys.slice(start, start + 500)) } });
      for (const app of found) out.set(app.appKey, app);
    }
    return out;
  }

  /** Per tool: its running license contracts' annual value in the base currency and their seats (FinanceQueries). */
  private async contractValues(manager: EntityManager, toolIds: string[], asOf: string, base: string) {
    const out = new Map<string, { annualValueMinor: bigint; seats: number; missingRate?: string }>();
    const contracts = await this.finance.runningLicenseContracts(toolIds, asOf, manager);
    const rates = await this.finance.ratesAtOrBefore(
      contracts.map((c) => c.currency).filter((c) => c !== base),
      asOf.slice(0, 7),
      manager,
    );
    for (const contract of contracts) {
      const sum = out.get(contract.toolId) ?? { annualValueMinor: 0n, seats: 0 };
      out.set(contract.toolId, sum);
      sum.seats += contract.seats ?? 0;
      if (contract.currency === base) sum.annualValueMinor += contract.annualValueMinor;
      else {
        const rate = rates.get(contract.currency);
        if (rate) sum.annualValueMinor += convertMinor(contract.annualValueMinor, contract.currency, base, rate);
        else sum.missingRate = contract.currency;
      }
    }
    return out;
  }
}

export function appFigures(usage: AppUsage, asOf: string) {
  return {
    name: usage.app.slice(0, 200),
    assignedUsers: usage.assignedUsers,
    activeUsers30: usage.activeUsers30,
    activeUsers90: usage.activeUsers90,
    firstSeen: usage.firstSeen,
    lastSeen: usage.lastSeen,
    asOf,
  };
}
