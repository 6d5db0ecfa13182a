import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import {
  CatalogQueries,
  COMMIT_CHUNK,
  compareFields,
  ExampleSamples,
  formatBool,
  formatList,
  ImportColumn,
  ImportKind,
  ImportRegistry,
  KindLookup,
  Lifecycle,
  ReferenceDeclaration,
  RowChange,
  RowContext,
  RowRead,
  ToolRef,
} from '@stackgate/catalog';
import { PeopleDirectory } from '@stackgate/identity';
import { AuthUser, Role } from '@stackgate/platform';
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

export interface IntegrationRecord {
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

/** Imports and exports data flows; a row matches the flow with the same (source, target, method). */
@Injectable()
export class IntegrationsImportKind implements ImportKind<IntegrationRecord, Integration>, OnModuleInit {
  readonly kind = 'integrations';
  readonly columns = INTEGRATION_COLUMNS;
  readonly allowedRoles: Role[] = INTEGRATION_WRITERS;
  /** It has no check: a row reads only the file's references and look-ups, and `firstRow`. */
  readonly planSlice = COMMIT_CHUNK;
  readonly references: ReferenceDeclaration[] = [
    { column: ['sourceTool', 'targetTool'], ref: 'tool-by-name' },
    { column: 'ownerEmail', ref: 'user-by-email' },
  ];
  readonly lookups: Record<string, KindLookup> = {
    /** The flows leaving each source tool the file names, newest first. */
    flowsFrom: {
      keys: (row, refs) => [row.values.sourceTool ? refs.get('tool-by-name', row.values.sourceTool)?.id : undefined],
      load: async (manager, toolIds) => {
        const flows = await manager
          .getRepository(Integration)
          .find({ where: { sourceToolId: In(toolIds) }, order: { createdAt: 'DESC', id: 'DESC' } });
        const bySource = new Map<string, Integration[]>();
        for (const flow of flows) bySource.set(flow.sourceToolId, [...(bySource.get(flow.sourceToolId) ?? []), flow]);
        return bySource;
      },
    },
  };
  readonly compare = compareFields<IntegrationRecord, Integration>(
    'frequency',
    'status',
    { field: 'dataObjects', comparable: (v) => normalizeDataObjects((v as string[] | null) ?? []) },
    'carriesPersonalData',
    'ownerId',
    'notes',
  );

  constructor(
    private readonly registry: ImportRegistry,
    private readonly integrations: IntegrationsService,
    private readonly catalog: CatalogQueries,
    private readonly people: PeopleDirectory,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  read(ctx: RowContext): RowRead<IntegrationRecord, Integration> | undefined {
    const reader = ctx.reader;
    const tool = (column: string): ToolRef | undefined => {
      const name = reader.text(column, 200, true);
      if (!name) return undefined;
      const found = ctx.ref('tool-by-name', name);
      if (!found) reader.fail(column, `no tool named "${name}"`);
      return found;
    };
    const source = tool('sourceTool');
    const target = tool('targetTool');
    const method = reader.oneOf('method', Object.values(IntegrationMethod));
    if (method === null) reader.fail('method', 'method is required');
    const frequency = reader.oneOf('frequency', Object.values(IntegrationFrequency));
    if (frequency === null) reader.fail('frequency', 'frequency is required');
    const status = reader.oneOf('status', Object.values(IntegrationStatus)) ?? IntegrationStatus.ACTIVE;
    const dataObjects = reader.list('dataObjects', 50, 100);
    const carriesPersonalData = reader.bool('carriesPersonalData');
    const notes = reader.text('notes', 5000, false, { multiline: true });
    let ownerId: string | null | undefined;
    const ownerEmail = reader.text('ownerEmail', 254);
    if (ownerEmail === null) ownerId = null;
    else if (ownerEmail) {
      ownerId = ctx.ref('user-by-email', ownerEmail)?.id;
      if (!ownerId) reader.fail('ownerEmail', `no user with e-mail ${ownerEmail}`);
    }
    if (source && target && source.id === target.id) reader.fail('targetTool', 'source and target must be different tools');
    if (status !== IntegrationStatus.RETIRED) {
      for (const [column, endpoint] of [
        ['sourceTool', source],
        ['targetTool', target],
      ] as const) {
        if (endpoint?.lifecycle === Lifecycle.RETIRED) reader.fail(column, `${endpoint.name} is retired; a live flow cannot use it`);
      }
    }
    let found: Integration | undefined;
    if (source && target && method) {
      if (liveKeyOf(source.id, target.id, method, status)) {
        const first = ctx.firstRow('live flow', `${source.id}:${target.id}:${method}`);
        if (first) reader.fail(null, `the same live flow appears more than once (first at row ${first})`);
      }
      // Prefer the live flow; a RETIRED row may match the newest retired one.
      const same = (ctx.lookup<Integration[]>('flowsFrom', source.id) ?? []).filter(
        (i) => i.targetToolId === target.id && i.method === method,
      );
      found = same.find((i) => i.liveKey) ?? (status === IntegrationStatus.RETIRED ? same.find((i) => !i.liveKey) : undefined);
    }
    if (reader.errors.length || !source || !target || !method || !frequency) return undefined;
    return {
      record: {
        sourceToolId: source.id,
        targetToolId: target.id,
        method,
        frequency,
        status,
        dataObjects,
        carriesPersonalData,
        ownerId,
        notes,
      },
      existing: found,
    };
  }

  /** A planned daily flow between the workspace's first two tools. */
  examples({ tools, email }: ExampleSamples): Record<string, string>[] {
    return [
      {
        sourceTool: tools[0] ?? '',
        targetTool: tools[1] ?? '',
        method: IntegrationMethod.API,
        frequency: IntegrationFrequency.DAILY,
        status: IntegrationStatus.PLANNED,
        dataObjects: 'contacts; leads',
        carriesPersonalData: 'true',
        ownerEmail: email,
        notes: 'Example row: replace or delete it before importing',
      },
    ];
  }

  async create(manager: EntityManager, actor: AuthUser, records: IntegrationRecord[]): Promise<void> {
    for (const record of records) {
      await this.integrations.createInTransaction(manager, actor, {
        sourceToolId: record.sourceToolId,
        targetToolId: record.targetToolId,
        method: record.method,
        frequency: record.frequency,
        status: record.status,
        dataObjects: record.dataObjects ?? [],
        carriesPersonalData: record.carriesPersonalData ?? false,
        ownerId: record.ownerId ?? null,
        notes: record.notes ?? null,
      });
    }
  }

  async update(manager: EntityManager, actor: AuthUser, { existing, changes }: RowChange<IntegrationRecord, Integration>): Promise<void> {
    await this.integrations.updateInTransaction(manager, actor, existing.id, { ...changes, version: existing.version });
  }

  async exportRows(manager: EntityManager): Promise<Record<string, string>[]> {
    const all = await manager.getRepository(Integration).find({ order: { createdAt: 'ASC', id: 'ASC' } });
    const names = await this.catalog.toolNames(all.flatMap((i) => [i.sourceToolId, i.targetToolId]));
    const email = await this.people.emailsByIds(
      manager,
      all.map((i) => i.ownerId).filter((x): x is string => !!x),
    );
    return all.map((i) => ({
      sourceTool: names.get(i.sourceToolId) ?? '',
      targetTool: names.get(i.targetToolId) ?? '',
      method: i.method,
      frequency: i.frequency,
      status: i.status,
      dataObjects: formatList(i.dataObjects),
      carriesPersonalData: formatBool(i.carriesPersonalData),
      ownerEmail: i.ownerId ? (email.get(i.ownerId) ?? '') : '',
      notes: i.notes ?? '',
    }));
  }
}
