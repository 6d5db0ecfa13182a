import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CostCenter, ImportColumn, ImportHandler, ImportRegistry, ImportRow, parseAllocationCell, RowOutcome, RowReader, Tool } from '@stackgate/catalog';
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
  { name: 'allocation', description: "CODE:basis points; … summing to 10000. Empty = the contract's, else the tool's" },
];

interface Lookups {
  toolByKey: Map<string, Tool>;
  costCenterIdByCode: Map<string, string>;
  contractsByTool: Map<string, Contract[]>;
  existingByRef: Map<string, SpendEntry>;
}

const comparable = (x: Partial<SpendInput>) => JSON.stringify([x.date, x.toolId, x.contractId, x.costType, String(x.amountMinor), x.currency, x.description, x.allocation ?? null]);

/**
 * Spend entries from CSV/XLSX (kind 'spend-entries', FINANCE only). Entries carrying an
 * externalRef are matched by it (source 'import'), so importing the same file twice changes nothing.
 */
@Injectable()
export class SpendImportHandler implements ImportHandler, OnModuleInit {
  readonly kind = 'spend-entries';
  readonly columns = SPEND_COLUMNS;
  readonly allowedRoles = [Role.FINANCE];

  constructor(private readonly registry: ImportRegistry, private readonly spend: SpendEntriesService) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  private async lookups(rows: ImportRow[], m: EntityManager): Promise<Lookups> {
    const names = [...new Set(rows.map((r) => (r.values.tool ?? '').toLowerCase()).filter(Boolean))];
    const tools = names.length ? await m.getRepository(Tool).find({ where: { nameKey: In(names) } }) : [];
    const centers = await m.getRepository(CostCenter).find({ select: { id: true, code: true } });
    const contracts = tools.length ? await m.getRepository(Contract).find({ where: { toolId: In(tools.map((t) => t.id)) } }) : [];
    const refs = [...new Set(rows.map((r) => r.values.externalRef ?? '').filter(Boolean))];
    const existing = refs.length ? await m.getRepository(SpendEntry).find({ where: { source: SpendSource.IMPORT, externalRef: In(refs) } }) : [];
    const contractsByTool = new Map<string, Contract[]>();
    for (const c of contracts) contractsByTool.set(c.toolId, [...(contractsByTool.get(c.toolId) ?? []), c]);
    return {
      toolByKey: new Map(tools.map((t) => [t.nameKey, t])), costCenterIdByCode: new Map(centers.map((c) => [c.code.toUpperCase(), c.id])),
      contractsByTool, existingByRef: new Map(existing.map((e) => [e.externalRef!, e])),
    };
  }

  private parse(row: ImportRow, l: Lookups): { input?: SpendInput; errors: RowReader['errors'] } {
    const r = new RowReader(row.values);
    const date = r.text('date', 10, true);
    if (date && !isRealDate(date)) r.fail('date', 'date must be a real date YYYY-MM-DD');
    const toolName = r.text('tool', 200, true);
    const tool = toolName ? l.toolByKey.get(toolName.toLowerCase()) : undefined;
    if (toolName && !tool) r.fail('tool', `unknown tool "${toolName}"`);
    let contractId: string | null = null;
    const reference = r.text('contractReference', 120);
    if (reference && tool) {
      const matches = (l.contractsByTool.get(tool.id) ?? []).filter((c) => c.reference === reference);
      if (matches.length !== 1) r.fail('contractReference', matches.length ? `several contracts of ${tool.name} have reference "${reference}"` : `${tool.name} has no contract "${reference}"`);
      else contractId = matches[0].id;
    }
    const costType = r.oneOf('costType', Object.values(CostType));
    if (costType === null) r.fail('costType', 'costType is required');
    const currency = (r.text('currency', 3, true) ?? '').toUpperCase();
    if (currency && !isCurrencyCode(currency)) r.fail('currency', 'currency must be an ISO 4217 code');
    const amount = r.text('amount', 20, true);
    let amountMinor: bigint | undefined;
    if (amount && isCurrencyCode(currency)) {
      // The API's money rule (at most 12 integer digits, the currency's decimals), so a file cannot store what the API refuses.
      try { amountMinor = parseMoneyInput(amount, currency); } catch (e) { r.fail('amount', (e as Error).message); }
    }
    const description = r.text('description', 2000, false, { multiline: true });
    const externalRef = r.text('externalRef', 200);
    const allocation = parseAllocationCell(r, 'allocation', l.costCenterIdByCode);
    if (r.errors.length || !date || !tool || !costType || amountMinor === undefined) return { errors: r.errors };
    return {
      errors: [],
      input: { date, toolId: tool.id, contractId, costType, amountMinor, currency, description: description ?? null, externalRef: externalRef ?? null, allocation: allocation ?? null },
    };
  }

  async validateRows(rows: ImportRow[], m: EntityManager): Promise<RowOutcome[]> {
    const l = await this.lookups(rows, m);
    const seenRefs = new Map<string, number>();
    return rows.map((row) => {
      const { input, errors } = this.parse(row, l);
      const ref = row.values.externalRef;
      if (ref) {
        if (seenRefs.has(ref)) errors.push({ column: 'externalRef', message: `externalRef "${ref}" also appears in row ${seenRefs.get(ref)}` });
        else seenRefs.set(ref, row.row);
      }
      if (!input || errors.length) return { action: 'create', errors };
      const existing = input.externalRef ? l.existingByRef.get(input.externalRef) : undefined;
      if (!existing) return { action: 'create', errors: [] };
      return { action: comparable(existing) === comparable(input) ? 'unchanged' : 'update', errors: [] };
    });
  }

  async commit(rows: ImportRow[], m: EntityManager, actor: AuthUser, outcomes: RowOutcome[]): Promise<void> {
    const l = await this.lookups(rows, m);
    for (let i = 0; i < rows.length; i++) {
      if (outcomes[i].action === 'unchanged') continue;
      const { input } = this.parse(rows[i], l);
      if (!input) throw new Error(`row ${rows[i].row} did not parse at commit`);
      const existing = input.externalRef ? l.existingByRef.get(input.externalRef) : undefined;
      if (existing) {
        const { externalRef: _ref, ...changes } = input;
        await this.spend.updateInTransaction(m, existing, changes, existing.version);
      } else {
        await this.spend.createInTransaction(m, actor, input, SpendSource.IMPORT);
      }
    }
  }
}
