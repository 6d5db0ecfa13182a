import { Injectable, OnModuleInit } from '@nestjs/common';
import { CONTRACTS_OF_NAMED_TOOLS, TOOL_AND_ALLOCATION_REFERENCES } from './contract-import-lookups';
import { EntityManager } from 'typeorm';
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
import { AllocationShare, AuthUser, formatMinor, isCurrencyCode, isRealDate, MoneyDto, parseMoneyInput, Role } from '@stackgate/platform';
import { Billing, CostType } from '../finance.enums';
import { Contract } from './contract.entity';
import { ContractsService, DEFAULT_INTERNAL_LEAD_DAYS } from './contracts.service';

export const CONTRACT_COLUMNS: ImportColumn[] = [
  { name: 'tool', required: true, description: 'Tool name (any case)' },
  { name: 'reference', description: 'Contract reference; with the tool it identifies the contract on re-import' },
  { name: 'startDate', required: true, description: 'YYYY-MM-DD' },
  { name: 'termMonths', required: true, description: '1–120' },
  { name: 'billing', required: true, description: Object.values(Billing).join(', ') },
  { name: 'amount', required: true, description: 'Per billing period, e.g. 1000.00' },
  { name: 'currency', required: true, description: 'ISO 4217 code' },
  { name: 'costType', description: `${Object.values(CostType).join(', ')} (default LICENSE)` },
  { name: 'seats' },
  { name: 'autoRenew', description: 'true/false' },
  { name: 'noticeDays', description: 'Default 0' },
  { name: 'internalLeadDays', description: `Default ${DEFAULT_INTERNAL_LEAD_DAYS}` },
  { name: 'allocation', description: `${ALLOCATION_CELL_HELP}. Empty = the tool's allocation` },
];

/** A row's contract with every default applied: an empty cell clears (reference, seats, allocation). */
export interface ContractRecord {
  toolId: string;
  reference: string | null;
  startDate: string;
  termMonths: number;
  billing: Billing;
  amount: MoneyDto;
  costType: CostType;
  seats: number | null;
  autoRenew: boolean;
  noticeDays: number;
  internalLeadDays: number;
  allocation: AllocationShare[] | null;
}

/** Contracts from CSV/XLSX (kind 'contracts', FINANCE only); a row with a reference updates that tool's contract of the same reference. */
@Injectable()
export class ContractsImportKind implements ImportKind<ContractRecord, Contract>, OnModuleInit {
  readonly kind = 'contracts';
  readonly columns = CONTRACT_COLUMNS;
  readonly allowedRoles = [Role.FINANCE];
  /** It has no check: a row reads only the file's references and look-ups, and `firstRow`. */
  readonly planSlice = COMMIT_CHUNK;
  readonly references = TOOL_AND_ALLOCATION_REFERENCES;
  readonly lookups: Record<string, KindLookup> = {
    contractsOf: CONTRACTS_OF_NAMED_TOOLS,
  };
  readonly compare = compareFields<ContractRecord, Contract>(
    'reference',
    'startDate',
    'termMonths',
    'billing',
    { field: 'amount', current: (c) => ({ amount: formatMinor(c.amountMinor, c.currency), currency: c.currency }) },
    'costType',
    'seats',
    { field: 'autoRenew', comparable: (v) => !!v },
    'noticeDays',
    'internalLeadDays',
    'allocation',
  );

  constructor(
    private readonly registry: ImportRegistry,
    private readonly contracts: ContractsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  read(ctx: RowContext): RowRead<ContractRecord, Contract> | undefined {
    const reader = ctx.reader;
    const toolName = reader.text('tool', 200, true);
    const tool = toolName ? ctx.ref('tool-by-name', toolName) : undefined;
    if (toolName && !tool) reader.fail('tool', `unknown tool "${toolName}"`);
    const reference = reader.text('reference', 120);
    const startDate = reader.text('startDate', 10, true);
    if (startDate && !isRealDate(startDate)) reader.fail('startDate', 'startDate must be a real date YYYY-MM-DD');
    const termMonths = reader.int('termMonths', 1, 120);
    if (termMonths === null) reader.fail('termMonths', 'termMonths is required');
    const billing = reader.oneOf('billing', Object.values(Billing));
    if (billing === null) reader.fail('billing', 'billing is required');
    const currency = (reader.text('currency', 3, true) ?? '').toUpperCase();
    if (currency && !isCurrencyCode(currency)) reader.fail('currency', 'currency must be an ISO 4217 code');
    const amount = reader.text('amount', 20, true);
    if (amount && isCurrencyCode(currency)) {
      // The API's money rule (at most 12 integer digits, the currency's decimals), so a file cannot store what the API refuses.
      try {
        if (parseMoneyInput(amount, currency) < 0n) reader.fail('amount', 'amount must not be negative');
      } catch (error) {
        reader.fail('amount', (error as Error).message);
      }
    }
    const costType = reader.oneOf('costType', Object.values(CostType));
    const seats = reader.int('seats', 0, 10_000_000);
    const autoRenew = reader.bool('autoRenew');
    const noticeDays = reader.int('noticeDays', 0, 3650);
    const internalLeadDays = reader.int('internalLeadDays', 0, 3650);
    const allocation = parseAllocationCell(reader, 'allocation', (code) => ctx.ref('cost-center-by-code', code)?.id);
    let existing: Contract | undefined;
    if (tool && reference) {
      const matches = (ctx.lookup<Contract[]>('contractsOf', tool.id) ?? []).filter((c) => c.reference === reference);
      if (matches.length > 1) reader.fail('reference', `${tool.name} has several contracts with reference "${reference}"`);
      existing = matches[0];
    }
    if (reader.errors.length || !tool || !startDate || !termMonths || !billing || !amount) return undefined;
    if (reference) {
      const first = ctx.firstRow('tool and reference', `${tool.id}|${reference}`);
      if (first) {
        reader.fail('reference', `the same tool and reference also appear in row ${first}`);
        return undefined;
      }
    }
    const record: ContractRecord = {
      toolId: tool.id,
      reference: reference ?? null,
      startDate,
      termMonths,
      billing,
      amount: { amount: formatMinor(parseMoneyInput(amount, currency), currency), currency },
      costType: costType ?? CostType.LICENSE,
      seats: seats ?? null,
      autoRenew: autoRenew ?? false,
      noticeDays: noticeDays ?? 0,
      internalLeadDays: internalLeadDays ?? DEFAULT_INTERNAL_LEAD_DAYS,
      allocation: allocation ?? null,
    };
    return { record, existing };
  }

  /** An annual licence contract of the workspace's first tool, split in percent. */
  examples({ tools, costCenters, today }: ExampleSamples): Record<string, string>[] {
    return [
      {
        tool: tools[0] ?? '',
        reference: 'EXAMPLE-2026-001',
        startDate: `${today.slice(0, 4)}-01-01`,
        termMonths: '12',
        billing: Billing.ANNUAL,
        amount: '12000.00',
        currency: 'EUR',
        costType: CostType.LICENSE,
        seats: '25',
        autoRenew: 'true',
        noticeDays: '60',
        internalLeadDays: String(DEFAULT_INTERNAL_LEAD_DAYS),
        allocation: exampleAllocation(costCenters),
      },
    ];
  }

  async create(manager: EntityManager, actor: AuthUser, records: ContractRecord[]): Promise<void> {
    for (const record of records) {
      await this.contracts.createInTransaction(manager, actor, {
        ...record,
        reference: record.reference ?? undefined,
        seats: record.seats ?? undefined,
        allocation: record.allocation ?? undefined,
      });
    }
  }

  /** A matched contract gets the row's terms whole (ledger rows rewritten by the service). */
  async update(manager: EntityManager, _actor: AuthUser, { record, existing }: RowChange<ContractRecord, Contract>): Promise<void> {
    const { toolId: _tool, ...terms } = record;
    await this.contracts.updateInTransaction(manager, existing.id, { ...terms, version: existing.version });
  }
}
