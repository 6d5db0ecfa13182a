import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import {
  CatalogError,
  CatalogErrorCode,
  ColumnLayout,
  compareFields,
  ExampleSamples,
  ImportKind,
  ImportOptions,
  ImportPlan,
  ImportPresets,
  ImportRegistry,
  RowContext,
  RowRead,
} from '@stackgate/catalog';
import { AuthUser, moneyJson, Role, validationFailed } from '@stackgate/platform';
import { CandidateEvidenceService } from '../candidates/candidate-evidence';
import { DiscoveryCandidate } from '../candidates/discovery-candidate.entity';
import { CandidateSource } from '../discovery.enums';
import { candidateKeyOf } from '../matching/merchant-index';
import { normaliseMerchant } from '../matching/merchant-normaliser';
import { detectPreset, IDP_LAYOUTS, IDP_PRESETS, IdpPreset, IdpPresetLayout, IdpSource, SOURCE_OF_PRESET } from './idp-presets';
import { IdpUsageService } from './idp-usage.service';
import { UsageEvaluation, UsageEvaluator } from './usage-evaluation';
import { UsageRow } from './usage-rules';

/** Who may import identity-provider usage: IT's evidence (like a tool's technical fields), IT leadership, the administrator. */
export const IDP_IMPORT_ROLES: readonly Role[] = [Role.IT, Role.CIO, Role.ADMIN];

/** All rows in one commit chunk: the figures are per app over the whole file (at most IMPORT_MAX_ROWS rows). */
const WHOLE_FILE = Number.MAX_SAFE_INTEGER;

/** One row's evidence and the identity provider it comes from (the row's preset). */
export type IdpUsageRecord = UsageRow & { source: IdpSource };

/**
 * The idp-apps import kind: an identity provider's standard report (preset okta, entra or google; detected from the
 * headers when the form names none). Every row is evidence (an assignment, a sign-in, a grant); the report's
 * `outcome` gives the per-app figures, the matched tools and their month of utilisation, and the unmatched apps.
 * The commit records the figures and puts every app no live tool matched in the discovery queue (source IDP).
 */
@Injectable()
export class IdpAppsImportKind implements ImportKind<IdpUsageRecord, never>, OnModuleInit {
  readonly kind = 'idp-apps';
  readonly columns = IDP_LAYOUTS.okta.columns;
  readonly allowedRoles = IDP_IMPORT_ROLES;
  readonly compare = compareFields<IdpUsageRecord, never>();
  readonly commitChunk = WHOLE_FILE;

  constructor(
    private readonly registry: ImportRegistry,
    private readonly evaluator: UsageEvaluator,
    private readonly usage: IdpUsageService,
    private readonly evidence: CandidateEvidenceService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /** The named preset's report columns, else the preset the file's headers show (okta for a template); other columns are ignored. */
  layout(options: ImportOptions): Promise<ColumnLayout> {
    const layout = presetLayout(options);
    return Promise.resolve({ columns: layout.columns, ignoreUnknown: true, preset: layout.preset });
  }

  /** The three reports, found from the file's headers when the form names none. */
  presets(): Promise<ImportPresets> {
    return Promise.resolve({
      title: 'Identity-provider reports',
      detectsFromHeaders: true,
      presets: IDP_PRESETS.map((preset) => {
        const layout = IDP_LAYOUTS[preset];
        return { value: preset, label: layout.label, note: layout.report, layout: { columns: layout.columns, ignoreUnknown: true } };
      }),
    });
  }

  read(ctx: RowContext): RowRead<IdpUsageRecord, never> | undefined {
    const layout = IDP_LAYOUTS[(ctx.options.preset as IdpPreset | undefined) ?? 'okta'];
    const row = layout.read(ctx.reader);
    return row ? { record: { ...row, source: SOURCE_OF_PRESET[layout.preset] } } : undefined;
  }

  /** Records the figures (IdpUsageService.record) and queues the apps no tool matched, announcing the new ones once. */
  async create(manager: EntityManager, actor: AuthUser, records: IdpUsageRecord[]): Promise<void> {
    if (!records.length) return;
    const evaluation = await this.evaluator.evaluate(manager, records[0].source, records);
    await this.usage.record(manager, actor, evaluation);
    await this.queueUnmatched(manager, actor, evaluation);
  }

  update(): Promise<void> {
    throw new Error('idp-apps rows are never updates');
  }

  async outcome(plan: ImportPlan<IdpUsageRecord, never>, manager: EntityManager, options: ImportOptions): Promise<Record<string, unknown>> {
    const layout = presetLayout(options);
    const records = plan.rows.flatMap((r) => (r.record && !r.errors.length ? [r.record] : []));
    return outcomeJson(layout, await this.evaluator.evaluate(manager, SOURCE_OF_PRESET[layout.preset], records));
  }

  examples(samples: ExampleSamples, options: ImportOptions): Record<string, string>[] {
    return exampleRows(presetLayout(options).preset, samples);
  }

  /**
   * Apps with no catalog entry become (or refresh) IDP candidates through the queue's one door: keyed like spend
   * merchants (normaliseMerchant, then the known product's key), the file's assigned and 30-day active users replacing
   * the stored ones, first/last seen widened. A re-import of the same file updates the same candidates.
   */
  private async queueUnmatched(manager: EntityManager, actor: AuthUser, evaluation: UsageEvaluation): Promise<void> {
    const unmatched = evaluation.apps.filter((app) => !app.tool);
    if (!unmatched.length) return;
    const upserted = await this.evidence.upsertFromEvidence(
      manager,
      actor,
      unmatched.map((app) => ({
        source: CandidateSource.IDP,
        key: idpCandidateKey(app.usage.app),
        displayName: app.usage.app,
        assignedUsers: app.usage.assignedUsers,
        activeUsers: app.usage.activeUsers30,
        firstSeen: app.usage.firstSeen,
        lastSeen: app.usage.lastSeen,
      })),
    );
    const created = [...upserted.values()].filter((u) => u.created).map((u) => u.candidate.id);
    if (!created.length) return;
    const fresh = await manager.getRepository(DiscoveryCandidate).find({ where: { id: In(created) } });
    await this.evidence.notifyNewCandidates(manager, actor, fresh, 'an identity-provider import');
  }
}

/** The queue key of an identity provider's app: normalised as a card merchant is, so both sources of one product read alike. */
export function idpCandidateKey(appName: string): string {
  return candidateKeyOf(normaliseMerchant(appName));
}

/** The layout `options` name, or whose signature headers the file has; okta when there is neither (a template). */
function presetLayout(options: ImportOptions): IdpPresetLayout {
  if (options.preset !== undefined) {
    const named = options.preset.toLowerCase();
    if (!(IDP_PRESETS as readonly string[]).includes(named))
      throw validationFailed(`preset must be one of: ${IDP_PRESETS.join(', ')}`, { preset: options.preset, presets: IDP_PRESETS });
    return IDP_LAYOUTS[named as IdpPreset];
  }
  if (!options.headers) return IDP_LAYOUTS.okta;
  const detected = detectPreset(options.headers);
  if (!detected)
    throw new CatalogError(
      CatalogErrorCode.IMPORT_INVALID_HEADER,
      `the headers are not those of an Okta, Entra ID or Google Workspace report: name the preset (${IDP_PRESETS.join(', ')})`,
      { presets: Object.fromEntries(IDP_PRESETS.map((p) => [p, IDP_LAYOUTS[p].columns.filter((c) => c.required).map((c) => c.name)])) },
    );
  return IDP_LAYOUTS[detected];
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
