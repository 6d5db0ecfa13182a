import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CostCenter, ImportColumn, ImportHandler, ImportRegistry, ImportRow, parseAllocationCell, RowOutcome, RowReader, Tool } from '@stackgate/catalog';
import { AuthUser, formatMinor, isCurrencyCode, isRealDate, parseMoneyInput, Role } from '@stackgate/platform';
import { Billing, CostType } from '../finance.enums';
import { Contract } from './contract.entity';
import { ContractsService, DEFAULT_INTERNAL_LEAD_DAYS } from './contracts.service';
import { CreateContractDto } from './dto/contract.dto';

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
  { name: 'allocation', description: "CODE:basis points; … summing to 10000. Empty = the tool's allocation" },
];

interface Lookups { toolByKey: Map<string, Tool>; costCenterIdByCode: Map<string, string>; byToolAndRef: Map<string, Contract[]> }

const key = (toolId: string, ref: string) => `${toolId}|${ref}`;
const comparable = (x: CreateContractDto) => JSON.stringify([x.reference ?? null, x.startDate, x.termMonths, x.billing, x.amount.amount, x.amount.currency, x.costType, x.seats ?? null, !!x.autoRenew, x.noticeDays, x.internalLeadDays, x.allocation ?? null]);
const fromContract = (c: Contract): CreateContractDto => ({
  toolId: c.toolId, reference: c.reference ?? undefined, startDate: c.startDate, termMonths: c.termMonths, billing: c.billing,
  amount: { amount: formatMinor(c.amountMinor, c.currency), currency: c.currency }, costType: c.costType, seats: c.seats ?? undefined,
  autoRenew: c.autoRenew, noticeDays: c.noticeDays, internalLeadDays: c.internalLeadDays, allocation: c.allocation ?? undefined,
});

/** Contracts from CSV/XLSX (kind 'contracts', FINANCE only); a row with a reference updates that tool's contract of the same reference. */
@Injectable()
export class ContractsImportHandler implements ImportHandler, OnModuleInit {
  readonly kind = 'contracts';
  readonly columns = CONTRACT_COLUMNS;
  readonly allowedRoles = [Role.FINANCE];

  constructor(private readonly registry: ImportRegistry, private readonly contracts: ContractsService) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  private async lookups(rows: ImportRow[], m: EntityManager): Promise<Lookups> {
    const names = [...new Set(rows.map((r) => (r.values.tool ?? '').toLowerCase()).filter(Boolean))];
    const tools = names.length ? await m.getRepository(Tool).find({ where: { nameKey: In(names) } }) : [];
    const centers = await m.getRepository(CostCenter).find({ select: { id: true, code: true } });
    const contracts = tools.length ? await m.getRepository(Contract).find({ where: { toolId: In(tools.map((t) => t.id)) } }) : [];
    const byToolAndRef = new Map<string, Contract[]>();
    for (const c of contracts) if (c.reference) byToolAndRef.set(key(c.toolId, c.reference), [...(byToolAndRef.get(key(c.toolId, c.reference)) ?? []), c]);
    return { toolByKey: new Map(tools.map((t) => [t.nameKey, t])), costCenterIdByCode: new Map(centers.map((c) => [c.code.toUpperCase(), c.id])), byToolAndRef };
  }

  private parse(row: ImportRow, l: Lookups): { dto?: CreateContractDto; existing?: Contract; errors: RowReader['errors'] } {
    const r = new RowReader(row.values);
    const toolName = r.text('tool', 200, true);
    const tool = toolName ? l.toolByKey.get(toolName.toLowerCase()) : undefined;
    if (toolName && !tool) r.fail('tool', `unknown tool "${toolName}"`);
    const reference = r.text('reference', 120);
    const startDate = r.text('startDate', 10, true);
    if (startDate && !isRealDate(startDate)) r.fail('startDate', 'startDate must be a real date YYYY-MM-DD');
    const termMonths = r.int('termMonths', 1, 120);
    if (termMonths === null) r.fail('termMonths', 'termMonths is required');
    const billing = r.oneOf('billing', Object.values(Billing));
    if (billing === null) r.fail('billing', 'billing is required');
    const currency = (r.text('currency', 3, true) ?? '').toUpperCase();
    if (currency && !isCurrencyCode(currency)) r.fail('currency', 'currency must be an ISO 4217 code');
    const amount = r.text('amount', 20, true);
    if (amount && isCurrencyCode(currency)) {
      // The API's money rule (at most 12 integer digits, the currency's decimals), so a file cannot store what the API refuses.
      try { if (parseMoneyInput(amount, currency) < 0n) r.fail('amount', 'amount must not be negative'); } catch (e) { r.fail('amount', (e as Error).message); }
    }
    const costType = r.oneOf('costType', Object.values(CostType));
    const seats = r.int('seats', 0, 10_000_000);
    const autoRenew = r.bool('autoRenew');
    const noticeDays = r.int('noticeDays', 0, 3650);
    const internalLeadDays = r.int('internalLeadDays', 0, 3650);
    const allocation = parseAllocationCell(r, 'allocation', l.costCenterIdByCode);
    let existing: Contract | undefined;
    if (tool && reference) {
      const matches = l.byToolAndRef.get(key(tool.id, reference)) ?? [];
      if (matches.length > 1) r.fail('reference', `${tool.name} has several contracts with reference "${reference}"`);
      existing = matches[0];
    }
    if (r.errors.length || !tool || !startDate || !termMonths || !billing || !amount) return { errors: r.errors };
    const dto: CreateContractDto = {
      toolId: tool.id, reference: reference ?? undefined, startDate, termMonths, billing, amount: { amount: formatMinor(parseMoneyInput(amount, currency), currency), currency },
      costType: costType ?? CostType.LICENSE, seats: seats ?? undefined, autoRenew: autoRenew ?? false, noticeDays: noticeDays ?? 0,
      internalLeadDays: internalLeadDays ?? DEFAULT_INTERNAL_LEAD_DAYS, allocation: allocation ?? undefined,
    };
    return { dto, existing, errors: [] };
  }

  async validateRows(rows: ImportRow[], m: EntityManager): Promise<RowOutcome[]> {
    const l = await this.lookups(rows, m);
    const seen = new Map<string, number>();
    return rows.map((row) => {
      const { dto, existing, errors } = this.parse(row, l);
      if (dto?.reference) {
        const k = key(dto.toolId, dto.reference);
        if (seen.has(k)) errors.push({ column: 'reference', message: `the same tool and reference also appear in row ${seen.get(k)}` });
        else seen.set(k, row.row);
      }
      if (!dto || errors.length) return { action: 'create', errors };
      if (!existing) return { action: 'create', errors: [] };
      return { action: comparable(fromContract(existing)) === comparable(dto) ? 'unchanged' : 'update', errors: [] };
    });
  }

  async commit(rows: ImportRow[], m: EntityManager, actor: AuthUser, outcomes: RowOutcome[]): Promise<void> {
    const l = await this.lookups(rows, m);
    for (let i = 0; i < rows.length; i++) {
      if (outcomes[i].action === 'unchanged') continue;
      const { dto, existing } = this.parse(rows[i], l);
      if (!dto) throw new Error(`row ${rows[i].row} did not parse at commit`);
      if (existing) {
        const { toolId: _tool, allocation, ...rest } = dto;
        await this.contracts.updateInTransaction(m, existing.id, { ...rest, allocation: allocation ?? null, seats: dto.seats ?? null, version: existing.version });
      } else {
        await this.contracts.createInTransaction(m, actor, dto);
      }
    }
  }
}
