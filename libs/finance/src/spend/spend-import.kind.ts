import { Injectable, OnModuleInit } from '@nestjs/common';
import { CONTRACTS_OF_NAMED_TOOLS, TOOL_AND_ALLOCATION_REFERENCES } from '../contracts/contract-import-lookups';
import { EntityManager, In } from 'typeorm';
import {
  ALLOCATION_CELL_HELP,
  COMMIT_CHUNK,
  compareFields,
  exampleAllocation,
  ExampleSamples,
  ImportColumn,
  ImportKind,
  ImportRegistry,
  KindLookup,
  parseAllocationCell,
  RowChange,
  RowContext,
  RowRead,
} from '@stackgate/catalog';
import { AuthUser, isCurrencyCode, isRealDate, parseMoneyInput, Role } from '@stackgate/platform';
import { Contract } from '../contracts/contract.entity';
import { CostType, SpendSource } from '../finance.enums';
import { SpendEntriesService, SpendInput } from './spend-entries.service';
import { SpendEntry } from './spend-entry.entity';

export const SPEND_COLUMNS: ImportColumn[] = [
  { name: 'date', required: true, description: 'YYYY-MM-DD', example: '2026-04-30' },
  { name: 'tool', required: true, description: 'Tool name (any case)' },
  { name: 'contractReference', description: "Reference of one of the tool's contracts" },
  { name: 'costType', required: true, description: Object.values(CostType).join(', ') },
  { name: 'amount', required: true, description: 'Decimal, e.g. 1234.50 (negative for a credit)' },
  { name: 'currency', required: true, description: 'ISO 4217 code' },
  { name: 'description' },
  { name: 'externalRef', description: 'Invoice or card reference; a re-import with the same reference updates or leaves the entry' },
  { name: 'allocation', description: `${ALLOCATION_CELL_HELP}. Empty = the contract's, else the tool's` },
];

/**
 * Spend entries from CSV/XLSX (kind 'spend-entries', FINANCE only). Entries carrying an
 * externalRef are matched by it (source 'import'), so importing the same file twice changes nothing.
 */
@Injectable()
export class SpendImportKind implements ImportKind<SpendInput, SpendEntry>, OnModuleInit {
  readonly kind = 'spend-entries';
  readonly columns = SPEND_COLUMNS;
  readonly allowedRoles = [Role.FINANCE];
  /** It has no check: a row reads only the file's references and look-ups, and `firstRow`. */
  readonly planSlice = COMMIT_CHUNK;
  readonly references = TOOL_AND_ALLOCATION_REFERENCES;
  readonly lookups: Record<string, KindLookup> = {
    contractsOf: CONTRACTS_OF_NAMED_TOOLS,
    /** The imported entries the file's externalRefs name. */
    existing: {
      keys: (row) => [row.values.externalRef],
      load: async (manager, refs) => {
        const entries = await manager.getRepository(SpendEntry).find({ where: { source: SpendSource.IMPORT, externalRef: In(refs) } });
        return new Map(entries.map((e) => [e.externalRef!, e]));
      },
    },
  };
  readonly compare = compareFields<SpendInput, SpendEntry>(
    'date',
    'toolId',
    'contractId',
    'costType',
    { field: 'amountMinor', comparable: (v) => String(v) },
    'currency',
    'description',
    'allocation',
  );

  constructor(
    private readonly registry: ImportRegistry,
    private readonly spend: SpendEntriesService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  read(ctx: RowContext): RowRead<SpendInput, SpendEntry> | undefined {
    const reader = ctx.reader;
    const date = reader.text('date', 10, true);
    if (date && !isRealDate(date)) reader.fail('date', 'date must be a real date YYYY-MM-DD');
    const toolName = reader.text('tool', 200, true);
    const tool = toolName ? ctx.ref('tool-by-name', toolName) : undefined;
    if (toolName && !tool) reader.fail('tool', `unknown tool "${toolName}"`);
    let contractId: string | null = null;
    const reference = reader.text('contractReference', 120);
    if (reference && tool) {
      const matches = (ctx.lookup<Contract[]>('contractsOf', tool.id) ?? []).filter((c) => c.reference === reference);
      if (matches.length !== 1)
        reader.fail(
          'contractReference',
          matches.length
            ? `several contracts of ${tool.name} have reference "${reference}"`
            : `${tool.name} has no contract "${reference}"`,
        );
      else contractId = matches[0].id;
    }
    const costType = reader.oneOf('costType', Object.values(CostType));
    if (costType === null) reader.fail('costType', 'costType is required');
    const currency = (reader.text('currency', 3, true) ?? '').toUpperCase();
    if (currency && !isCurrencyCode(currency)) reader.fail('currency', 'currency must be an ISO 4217 code');
    const amount = reader.text('amount', 20, true);
    let amountMinor: bigint | undefined;
    if (amount && isCurrencyCode(currency)) {
      // The API's money rule (at most 12 integer digits, the currency's decimals), so a file cannot store what the API refuses.
      try {
        amountMinor = parseMoneyInput(amount, currency);
      } catch (error) {
        reader.fail('amount', (error as Error).message);
      }
    }
    const description = reader.text('description', 2000, false, { multiline: true });
    const externalRef = reader.text('externalRef', 200);
    const allocation = parseAllocationCell(reader, 'allocation', (code) => ctx.ref('cost-center-by-code', code)?.id);
    const ref = ctx.row.values.externalRef;
    if (ref) {
      const first = ctx.firstRow('externalRef', ref);
      if (first) reader.fail('externalRef', `externalRef "${ref}" also appears in row ${first}`);
    }
    if (reader.errors.length || !date || !tool || !costType || amountMinor === undefined) return undefined;
    const record: SpendInput = {
      date,
      toolId: tool.id,
      contractId,
      costType,
      amountMinor,
      currency,
      description: description ?? null,
      externalRef: externalRef ?? null,
      allocation: allocation ?? null,
    };
    return { record, existing: record.externalRef ? ctx.lookup<SpendEntry>('existing', record.externalRef) : undefined };
  }

  /** An invoice split in percent and a credit note (negative amount) for the workspace's first tool. */
  examples({ tools, costCenters, today }: ExampleSamples): Record<string, string>[] {
    const tool = tools[0] ?? '';
    return [
      {
        date: today,
        tool,
        costType: CostType.LICENSE,
        amount: '1000.00',
        currency: 'EUR',
        description: 'Example row: replace or delete it before importing',
        externalRef: 'EXAMPLE-INV-0001',
        allocation: exampleAllocation(costCenters),
      },
      {
        date: today,
        tool,
        costType: CostType.LICENSE,
        amount: '-250.00',
        currency: 'EUR',
        description: 'Example credit note: a negative amount',
        externalRef: 'EXAMPLE-CN-0001',
      },
    ];
  }

  async create(manager: EntityManager, actor: AuthUser, records: SpendInput[]): Promise<void> {
    await this.spend.createManyInTransaction(manager, actor, records, SpendSource.IMPORT);
  }

  /** A matched entry gets the row's values whole (ledger rows rewritten by the service). */
  async update(manager: EntityManager, _actor: AuthUser, { record, existing }: RowChange<SpendInput, SpendEntry>): Promise<void> {
    const { externalRef: _ref, ...changes } = record;
    await this.spend.updateInTransaction(manager, existing, changes, existing.version);
  }
}
