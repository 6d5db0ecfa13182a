import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  CatalogError,
  CatalogErrorCode,
  compareFields,
  ExampleSamples,
  ImportKind,
  ImportPlan,
  ImportRegistry,
  RowContext,
  RowRead,
} from '@stackgate/catalog';
import { AuthUser, moneyJson, Role, validationFailed } from '@stackgate/platform';
import { detectPreset, IDP_LAYOUTS, IDP_PRESETS, IdpPreset, IdpPresetLayout, SOURCE_OF_PRESET } from './idp-presets';
import { IdpUsageService } from './idp-usage.service';
import { UsageEvaluation, UsageEvaluator } from './usage-evaluation';
import { UsageRow } from './usage-rules';

/** Who may import identity-provider usage: IT's evidence (like a tool's technical fields), IT leadership, the administrator. */
export const IDP_IMPORT_ROLES: readonly Role[] = [Role.IT, Role.CIO, Role.ADMIN];

/** All rows in one commit chunk: the figures are per app over the whole file (at most IMPORT_MAX_ROWS rows). */
const WHOLE_FILE = Number.MAX_SAFE_INTEGER;

/**
 * The idp-apps import kind: an identity provider's standard report (preset okta, entra or google; detected from the
 * headers when the form names none). Every row is evidence (an assignment, a sign-in, a grant); the report's
 * `outcome` gives the per-app figures, the matched tools and their month of utilisation, and the unmatched apps.
 */
@Injectable()
export class IdpAppsImportKind implements ImportKind<UsageRow, never>, OnModuleInit {
  readonly kind = 'idp-apps';
  readonly columns = IDP_LAYOUTS.okta.columns;
  readonly allowedRoles = IDP_IMPORT_ROLES;
  readonly ignoreUnknownColumns = true;
  readonly compare = compareFields<UsageRow, never>();
  readonly commitChunk = WHOLE_FILE;

  constructor(
    private readonly registry: ImportRegistry,
    private readonly evaluator: UsageEvaluator,
    private readonly usage: IdpUsageService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  withPreset(preset: string | undefined, headers?: readonly string[]): ImportKind<UsageRow, never> {
    if (preset !== undefined) {
      const named = preset.toLowerCase();
      if (!(IDP_PRESETS as readonly string[]).includes(named))
        throw validationFailed(`preset must be one of: ${IDP_PRESETS.join(', ')}`, { preset, presets: IDP_PRESETS });
      return this.layoutKind(IDP_LAYOUTS[named as IdpPreset]);
    }
    if (!headers) return this.layoutKind(IDP_LAYOUTS.okta);
    const detected = detectPreset(headers);
    if (!detected)
      throw new CatalogError(
        CatalogErrorCode.IMPORT_INVALID_HEADER,
        `the headers are not those of an Okta, Entra ID or Google Workspace report: name the preset (${IDP_PRESETS.join(', ')})`,
        { presets: Object.fromEntries(IDP_PRESETS.map((p) => [p, IDP_LAYOUTS[p].columns.filter((c) => c.required).map((c) => c.name)])) },
      );
    return this.layoutKind(IDP_LAYOUTS[detected]);
  }

  read(): RowRead<UsageRow, never> | undefined {
    throw new Error('idp-apps files are read through their preset (withPreset)');
  }

  create(): Promise<void> {
    throw new Error('idp-apps files are imported through their preset (withPreset)');
  }

  update(): Promise<void> {
    throw new Error('idp-apps rows are never updates');
  }

  /** The declaration of one layout: its columns, its row reader, and the whole-file evaluation and commit. */
  private layoutKind(layout: IdpPresetLayout): ImportKind<UsageRow, never> {
    const source = SOURCE_OF_PRESET[layout.preset];
    const rowsOf = (plan: ImportPlan<UsageRow, never>) => plan.rows.flatMap((r) => (r.record && !r.errors.length ? [r.record] : []));
    return {
      kind: this.kind,
      columns: layout.columns,
      allowedRoles: this.allowedRoles,
      ignoreUnknownColumns: true,
      compare: this.compare,
      commitChunk: WHOLE_FILE,
      read: (ctx: RowContext) => {
        const record = layout.read(ctx.reader);
        return record ? { record } : undefined;
      },
      create: async (manager: EntityManager, actor: AuthUser, records: UsageRow[]) => {
        await this.usage.record(manager, actor, await this.evaluator.evaluate(manager, source, records));
      },
      update: () => this.update(),
      outcome: async (plan, manager) => outcomeJson(layout, await this.evaluator.evaluate(manager, source, rowsOf(plan))),
      examples: (samples: ExampleSamples) => exampleRows(layout.preset, samples),
    };
  }
}

/** The import report's `outcome`: what the file says per app and per matched tool, and what the import changes. */
function outcomeJson(layout: IdpPresetLayout, evaluation: UsageEvaluation): Record<string, unknown> {
  const money = (minor: bigint | null) => (minor === null ? null : moneyJson(minor, evaluation.currency));
  const counts = (app: { assignedUsers: number; activeUsers30: number; activeUsers90: number; firstSeen: string; lastSeen: string }) => ({
    assignedUsers: app.assignedUsers,
    activeUsers30: app.activeUsers30,
    activeUsers90: app.activeUsers90,
    firstSeen: app.firstSeen,
    lastSeen: app.lastSeen,
  });
  return {
    preset: layout.preset,
    source: evaluation.source,
    report: layout.report,
    asOf: evaluation.asOf,
    month: evaluation.month,
    apps: evaluation.apps.map((app) => ({
      name: app.usage.app,
      ...counts(app.usage),
      tool: app.tool ? { id: app.tool.id, name: app.tool.name } : null,
      matchedBy: app.tool?.by ?? null,
      change: app.change,
    })),
    unmatchedApps: evaluation.apps.filter((app) => !app.tool).map((app) => ({ name: app.usage.app, ...counts(app.usage) })),
    tools: evaluation.tools.map((tool) => ({
      tool: { id: tool.tool.id, name: tool.tool.name },
      month: tool.figures.month,
      seats: tool.figures.seats,
      assignedUsers: tool.figures.assignedUsers,
      activeUsers30: tool.figures.activeUsers30,
      activeUsers90: tool.figures.activeUsers90,
      unusedSeats: tool.figures.unusedSeats,
      perSeatCost: money(tool.figures.perSeatMinor),
      unusedSeatsValue: money(tool.figures.unusedValueMinor),
      activeUsersBefore: tool.tool.activeUsers,
      updatesActiveUsers: tool.updatesActiveUsers,
      change: tool.change,
      notes: tool.notes,
    })),
  };
}

/** Template rows in the layout's own format, naming one of the workspace's tools. */
function exampleRows(preset: IdpPreset, samples: ExampleSamples): Record<string, string>[] {
  const app = samples.tools[0] ?? 'Slack';
  const at = `${samples.today}T09:30:00Z`;
  if (preset === 'okta')
    return [
      { User: 'Ada Lovelace', Login: samples.email, 'Application name': app, 'Assigned on': at, 'Unassigned on': '', 'Last login': at },
    ];
  if (preset === 'entra') return [{ 'Date (UTC)': at, User: 'Ada Lovelace', Username: samples.email, Application: app, Status: 'Success' }];
  return [{ Date: at, Event: 'Activity', Actor: samples.email, 'App name': app, 'Client ID': '', Scope: '' }];
}
