import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { formatBool, formatList, ImportColumn, ImportHandler, ImportRegistry, ImportRow, Lifecycle, RowOutcome, RowReader, Tool } from '@stackgate/catalog';
import { User } from '@stackgate/identity';
import { AuthUser, Role } from '@stackgate/platform';
import { UpdateIntegrationDto } from './dto/integration.dto';
import { Integration, IntegrationFrequency, IntegrationMethod, IntegrationStatus } from './integration.entity';
import { liveKeyOf, normalizeDataObjects } from './integration-rules';
import { IntegrationsService } from './integrations.service';
import { INTEGRATION_WRITERS } from './integrations.controller';

export const INTEGRATION_COLUMNS: ImportColumn[] = [
  { name: 'sourceTool', required: true, description: 'Name of the tool the data flows from' },
  { name: 'targetTool', required: true, description: 'Name of the tool the data flows to' },
  { name: 'method', required: true, description: 'NATIVE, API, IPAAS, FILE, MANUAL' },
  { name: 'frequency', required: true, description: 'REALTIME, HOURLY, DAILY, WEEKLY, AD_HOC' },
  { name: 'status', description: 'PLANNED, ACTIVE (default), BROKEN, RETIRED' },
  { name: 'dataObjects', description: 'Tags separated by ;' },
  { name: 'carriesPersonalData', description: 'true/false' },
  { name: 'ownerEmail' },
  { name: 'notes' },
];

interface RowValues {
  sourceToolId: string;
  targetToolId: string;
  method: IntegrationMethod;
  frequency: IntegrationFrequency;
  status: IntegrationStatus;
  dataObjects?: string[];
  carriesPersonalData?: boolean;
  ownerId?: string | null;
  notes?: string | null;
}

const chunks = <T>(xs: T[], n = 500): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const matchKey = (s: string, t: string, m: string) => `${s}:${t}:${m}`;

/** Imports and exports data flows; a row matches the flow with the same (source, target, method). */
@Injectable()
export class IntegrationsImportHandler implements ImportHandler, OnModuleInit {
  readonly kind = 'integrations';
  readonly columns = INTEGRATION_COLUMNS;
  readonly allowedRoles: Role[] = INTEGRATION_WRITERS;

  constructor(private readonly registry: ImportRegistry, private readonly integrations: IntegrationsService) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async validateRows(rows: ImportRow[], manager: EntityManager): Promise<RowOutcome[]> {
    return (await this.plan(rows, manager)).map((p) => p.outcome);
  }

  async commit(rows: ImportRow[], manager: EntityManager, actor: AuthUser): Promise<void> {
    for (const p of await this.plan(rows, manager)) {
      if (!p.values || p.outcome.action === 'unchanged') continue;
      const v = p.values;
      if (p.outcome.action === 'create') {
        await this.integrations.createInTransaction(manager, actor, {
          sourceToolId: v.sourceToolId, targetToolId: v.targetToolId, method: v.method, frequency: v.frequency, status: v.status,
          dataObjects: v.dataObjects ?? [], carriesPersonalData: v.carriesPersonalData ?? false, ownerId: v.ownerId ?? null, notes: v.notes ?? null,
        });
      } else {
        await this.integrations.updateInTransaction(manager, actor, p.existing!.id, { ...changes(p.existing!, v), version: p.existing!.version });
      }
    }
  }

  async exportRows(manager: EntityManager): Promise<Record<string, string>[]> {
    const all = await manager.getRepository(Integration).find({ order: { createdAt: 'ASC', id: 'ASC' } });
    const names = await this.integrations.toolNames(manager, all);
    const ownerIds = [...new Set(all.map((i) => i.ownerId).filter((x): x is string => !!x))];
    const users = ownerIds.length ? await manager.getRepository(User).find({ where: { id: In(ownerIds) }, select: { id: true, email: true } }) : [];
    const email = new Map(users.map((u) => [u.id, u.email]));
    return all.map((i) => ({
      sourceTool: names.get(i.sourceToolId) ?? '', targetTool: names.get(i.targetToolId) ?? '', method: i.method, frequency: i.frequency, status: i.status,
      dataObjects: formatList(i.dataObjects), carriesPersonalData: formatBool(i.carriesPersonalData), ownerEmail: i.ownerId ? email.get(i.ownerId) ?? '' : '',
      notes: i.notes ?? '',
    }));
  }

  private async plan(rows: ImportRow[], m: EntityManager) {
    const toolKeys = [...new Set(rows.flatMap((r) => [r.values.sourceTool, r.values.targetTool]).map((n) => (n ?? '').trim().toLowerCase()).filter(Boolean))];
    const tools: Tool[] = [];
    for (const c of chunks(toolKeys)) tools.push(...(await m.getRepository(Tool).find({ where: { nameKey: In(c) }, select: { id: true, nameKey: true, lifecycle: true, name: true } })));
    const toolByKey = new Map(tools.map((t) => [t.nameKey, t]));
    const emails = [...new Set(rows.map((r) => (r.values.ownerEmail ?? '').toLowerCase()).filter(Boolean))];
    const users: User[] = [];
    for (const c of chunks(emails)) users.push(...(await m.getRepository(User).find({ where: { email: In(c) }, select: { id: true, email: true } })));
    const userByEmail = new Map(users.map((u) => [u.email, u.id]));
    const toolIds = tools.map((t) => t.id);
    const existing: Integration[] = [];
    for (const c of chunks(toolIds)) existing.push(...(await m.getRepository(Integration).find({ where: { sourceToolId: In(c) }, order: { createdAt: 'DESC', id: 'DESC' } })));
    // Prefer the live flow; a RETIRED row may match the newest retired one.
    const live = new Map<string, Integration>();
    const retired = new Map<string, Integration>();
    for (const i of existing) {
      const k = matchKey(i.sourceToolId, i.targetToolId, i.method);
      if (i.liveKey) live.set(k, i);
      else if (!retired.has(k)) retired.set(k, i);
    }

    const seen = new Map<string, number>();
    return rows.map((row) => {
      const r = new RowReader(row.values);
      const tool = (column: string) => {
        const name = r.text(column, 200, true);
        if (!name) return undefined;
        const t = toolByKey.get(name.toLowerCase());
        if (!t) r.fail(column, `no tool named "${name}"`);
        return t;
      };
      const source = tool('sourceTool');
      const target = tool('targetTool');
      const method = r.oneOf('method', Object.values(IntegrationMethod));
      if (method === null) r.fail('method', 'method is required');
      const frequency = r.oneOf('frequency', Object.values(IntegrationFrequency));
      if (frequency === null) r.fail('frequency', 'frequency is required');
      const status = r.oneOf('status', Object.values(IntegrationStatus)) ?? IntegrationStatus.ACTIVE;
      const dataObjects = r.list('dataObjects', 50, 100);
      const carriesPersonalData = r.bool('carriesPersonalData');
      const notes = r.text('notes', 5000, false, { multiline: true });
      let ownerId: string | null | undefined;
      const ownerEmail = r.text('ownerEmail', 254);
      if (ownerEmail === null) ownerId = null;
      else if (ownerEmail) {
        ownerId = userByEmail.get(ownerEmail.toLowerCase());
        if (!ownerId) r.fail('ownerEmail', `no user with e-mail ${ownerEmail}`);
      }
      if (source && target && source.id === target.id) r.fail('targetTool', 'source and target must be different tools');
      if (status !== IntegrationStatus.RETIRED) {
        for (const [column, t] of [['sourceTool', source], ['targetTool', target]] as const) {
          if (t?.lifecycle === Lifecycle.RETIRED) r.fail(column, `${t.name} is retired; a live flow cannot use it`);
        }
      }
      let found: Integration | undefined;
      if (source && target && method) {
        const k = matchKey(source.id, target.id, method);
        if (liveKeyOf(source.id, target.id, method, status)) {
          const first = seen.get(k);
          if (first) r.fail(null, `the same live flow appears more than once (first at row ${first})`);
          else seen.set(k, row.row);
        }
        found = live.get(k) ?? (status === IntegrationStatus.RETIRED ? retired.get(k) : undefined);
      }
      if (r.errors.length || !source || !target || !method || !frequency) return { outcome: { action: 'create' as const, errors: r.errors } };
      const values: RowValues = { sourceToolId: source.id, targetToolId: target.id, method, frequency, status, dataObjects, carriesPersonalData, ownerId, notes };
      const action = !found ? 'create' as const : Object.keys(changes(found, values)).length ? 'update' as const : 'unchanged' as const;
      return { outcome: { action, errors: [] }, values, existing: found };
    });
  }
}

function changes(i: Integration, v: RowValues): Omit<UpdateIntegrationDto, 'version'> {
  const c: Omit<UpdateIntegrationDto, 'version'> = {};
  if (v.frequency !== i.frequency) c.frequency = v.frequency;
  if (v.status !== i.status) c.status = v.status;
  if (v.dataObjects !== undefined && JSON.stringify(normalizeDataObjects(v.dataObjects)) !== JSON.stringify(i.dataObjects ?? [])) c.dataObjects = v.dataObjects;
  if (v.carriesPersonalData !== undefined && v.carriesPersonalData !== i.carriesPersonalData) c.carriesPersonalData = v.carriesPersonalData;
  if (v.ownerId !== undefined && v.ownerId !== i.ownerId) c.ownerId = v.ownerId;
  if (v.notes !== undefined && (v.notes ?? null) !== i.notes) c.notes = v.notes;
  return c;
}
