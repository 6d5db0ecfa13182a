import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import {
  CatalogQueries,
  ColumnLayout,
  compareFields,
  ExampleSamples,
  ImportKind,
  ImportOptions,
  ImportPresets,
  ImportRegistry,
  KindLookup,
  RowContext,
  RowRead,
} from '@stackgate/catalog';
import { loadRates, SpendEntriesService, SpendSource } from '@stackgate/finance';
import { APP_CONFIG, AppConfig, AuthUser, insertRows, Role, uuidv7 } from '@stackgate/platform';
import { CandidateSource } from '../discovery.enums';
import { CandidateEvidenceService } from '../candidates/candidate-evidence';
import { spendInputOf } from '../candidates/candidate-actions.service';
import { DiscoveryCandidate } from '../candidates/discovery-candidate.entity';
import { DiscoveryTransaction } from '../candidates/discovery-transaction.entity';
import { MerchantAlias } from '../candidates/merchant-alias.entity';
import { MerchantIndex } from '../matching/merchant-index';
import { baseKeyOf, RateList, readSpendLine, SpendCatalog, SpendLine } from './spend-lines';
import { CUSTOM_PREFIX, DATE_ORDER_WORDS, GENERIC_COLUMNS, layoutOf, SPEND_PRESETS, SpendPreset } from './spend-presets';
import { SpendMappingsService } from './spend-mappings.service';

/** Who may import card and expense lines: finance has the exports, IT and the CIO run discovery. */
export const SPEND_IMPORTERS = [Role.FINANCE, Role.IT, Role.CIO];

/**
 * Card, expense and accounts-payable lines (kind 'spend-transactions', preset generic | expensify |
 * ramp | brex | custom:<saved mapping>). Each line's merchant is normalised and matched against the
 * catalog (indexed once per import): a matched line becomes an actual spend entry on its tool (its
 * cost center, else the tool's allocation); an unmatched one is kept on the discovery candidate of its
 * merchant (created when new: IT and the CIO are told once per import). Every line is stored under a
 * key (its reference, else a hash of date, merchant, amount, currency, employee and its occurrence in
 * the file), so importing the same file again, or an overlapping one, changes nothing.
 */
@Injectable()
export class SpendTransactionsImportKind implements ImportKind<SpendLine, DiscoveryTransaction>, OnModuleInit {
  readonly kind = 'spend-transactions';
  readonly columns = GENERIC_COLUMNS;
  readonly allowedRoles = SPEND_IMPORTERS;
  /** One chunk for the largest file (IMPORT_MAX_ROWS), so an import announces its new candidates once. */
  readonly commitChunk = 1_000_000;
  readonly references = [{ column: 'costCenter', ref: 'cost-center-by-code' as const }];
  readonly compare = compareFields<SpendLine, DiscoveryTransaction>();
  readonly lookups: Record<string, KindLookup> = {
    catalog: { keys: () => ['*'], load: async (manager) => new Map([['*', await this.loadCatalog(manager)]]) },
    seen: {
      keys: (row) => [baseKeyOf(row.values)],
      load: async (manager, keys) => {
        const rows = await manager
          .getRepository(DiscoveryTransaction)
          .find({ where: { baseKey: In(keys) }, select: { id: true, txKey: true, baseKey: true } });
        return new Map(rows.map((r) => [r.txKey, r]));
      },
    },
    rates: {
      keys: (row) => [(row.values.currency ?? '').trim().toUpperCase().slice(0, 3)],
      load: async (manager, currencies) => {
        const rates = await loadRates(manager, currencies);
        const out = new Map<string, RateList>();
        for (const [key, rate] of rates) {
          const [currency, month] = key.split('|');
          out.set(currency, [...(out.get(currency) ?? []), [month, rate]]);
        }
        for (const list of out.values()) list.sort((a, b) => a[0].localeCompare(b[0]));
        return out;
      },
    },
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ImportRegistry,
    private readonly catalogQueries: CatalogQueries,
    private readonly spend: SpendEntriesService,
    private readonly evidence: CandidateEvidenceService,
    private readonly mappings: SpendMappingsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async layout(options: ImportOptions, manager: EntityManager): Promise<ColumnLayout> {
    return layoutOf(await this.mappings.preset(manager, options.preset));
  }

  /** The shipped presets (generic first: the default), then the workspace's saved mappings. */
  async presets(manager: EntityManager): Promise<ImportPresets> {
    const offered = (preset: SpendPreset) => ({
      value: preset.name,
      label: preset.label,
      note: `dates ${DATE_ORDER_WORDS[preset.dateOrder].toLowerCase()}`,
      saved: preset.name.startsWith(CUSTOM_PREFIX),
      layout: layoutOf(preset),
    });
    return {
      title: 'Card, expense and accounts-payable exports',
      detectsFromHeaders: false,
      presets: [...Object.values(SPEND_PRESETS), ...(await this.mappings.savedPresets(manager))].map(offered),
    };
  }

  read(ctx: RowContext): RowRead<SpendLine, DiscoveryTransaction> | undefined {
    const preset = this.mappings.cachedPreset(ctx.options.preset);
    const line = readSpendLine(ctx, preset, ctx.lookup<SpendCatalog>('catalog', '*')!, this.config.baseCurrency);
    if (!line) return undefined;
    return { record: line, existing: ctx.lookup<DiscoveryTransaction>('seen', line.txKey) };
  }

  /** The catalog index (tools, vendors, learned aliases) and the SPEND candidates, read once per import. */
  private async loadCatalog(manager: EntityManager): Promise<SpendCatalog> {
    const [tools, aliases, candidates] = await Promise.all([
      this.catalogQueries.matchableTools(manager),
      manager.getRepository(MerchantAlias).find({ select: { merchantKey: true, toolId: true, candidateId: true } }),
      manager
        .getRepository(DiscoveryCandidate)
        .find({ where: { source: CandidateSource.SPEND }, select: { id: true, merchantKey: true, status: true, displayName: true } }),
    ]);
    return {
      index: new MerchantIndex(tools, new Map(aliases.map((a) => [a.merchantKey, a.toolId]))),
      candidates: new Map(candidates.map((c) => [c.merchantKey, { id: c.id, status: c.status, name: c.displayName }])),
      aliasCandidates: new Map(aliases.map((a) => [a.merchantKey, a.candidateId])),
    };
  }

  /** Matched lines become spend entries; the others join (or open) their merchant's candidate; every line is stored. */
  async create(manager: EntityManager, actor: AuthUser, lines: SpendLine[]): Promise<void> {
    const unmatched = lines.filter((l) => !l.match);
    const upserted = await this.evidence.upsertFromEvidence(
      manager,
      actor,
      unmatched.map((l) => ({ source: CandidateSource.SPEND, key: l.candidateKey, firstSeen: l.date, lastSeen: l.date })),
    );
    const now = new Date();
    const rows: DiscoveryTransaction[] = [];
    for (const line of lines) {
      const row = Object.assign(new DiscoveryTransaction(), {
        id: uuidv7(now.getTime()),
        txKey: line.txKey,
        baseKey: line.baseKey,
        date: line.date,
        month: line.month,
        merchantRaw: line.merchantRaw,
        merchantKey: line.merchantKey,
        amountMinor: line.amountMinor,
        currency: line.currency,
        baseAmountMinor: line.baseAmountMinor,
        employee: line.employee,
        costCenterId: line.costCenterId,
        memo: line.memo,
        reference: line.reference,
        candidateId: line.match ? line.candidateId : (upserted.get(`${CandidateSource.SPEND}:${line.candidateKey}`)?.candidate.id ?? null),
        toolId: line.match?.toolId ?? null,
        spendEntryId: null as string | null,
        matchKind: line.match?.how ?? null,
        createdAt: now,
      });
      rows.push(row);
    }
    // Matched lines become spend entries, in the file's order, written together.
    const matched = rows.filter((row) => row.toolId);
    const entries = await this.spend.createManyInTransaction(
      manager,
      actor,
      matched.map((row) => spendInputOf(row, row.toolId!)),
      SpendSource.IMPORT,
    );
    matched.forEach((row, index) => (row.spendEntryId = entries[index].id));
    await insertRows(manager, DiscoveryTransaction, rows);
    const touched = rows.map((r) => r.candidateId).filter((id): id is string => !!id);
    await this.evidence.refreshSpendTotals(manager, touched);
    const created = [...upserted.values()].filter((u) => u.created).map((u) => u.candidate);
    if (created.length) {
      const fresh = await manager.getRepository(DiscoveryCandidate).find({ where: { id: In(created.map((c) => c.id)) } });
      await this.evidence.notifyNewCandidates(manager, actor, fresh, 'a card and expense import');
    }
  }

  /** A stored line never changes (its key is what it is): nothing to update. */
  async update(): Promise<void> {}

  examples({ costCenters, today }: ExampleSamples): Record<string, string>[] {
    const code = costCenters[0] ?? '';
    return [
      {
        date: today,
        merchant: 'PAYPAL *HOTJAR',
        amount: '39.00',
        currency: 'EUR',
        employee: 'ana@example.com',
        costCenter: code,
        reference: 'EXAMPLE-TX-1',
      },
      {
        date: today,
        merchant: 'Zoom.us 888-799-9666',
        amount: '14.99',
        currency: 'EUR',
        memo: 'Example row: replace or delete it',
        reference: 'EXAMPLE-TX-2',
      },
    ];
  }
}
