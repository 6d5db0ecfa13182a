import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { ToolsService } from '@stackgate/catalog';
import { AuthUser, uuidv7 } from '@stackgate/platform';
import { IdpApp } from './idp-app.entity';
import { IdpSource } from './idp-presets';
import { ToolUtilisation } from './tool-utilisation.entity';
import { appFigures, UsageEvaluation } from './usage-evaluation';

/** An app the identity provider knows and the catalog does not: what discovery candidates are made from. */
export interface UnmatchedIdpApp {
  id: string;
  source: IdpSource;
  name: string;
  assignedUsers: number;
  activeUsers30: number;
  activeUsers90: number;
  firstSeen: string;
  lastSeen: string;
  asOf: string;
  importedAt: Date;
}

/** A tool's utilisation evidence of one month (see ToolUtilisation). */
export type UtilisationMonth = Omit<ToolUtilisation, 'id'>;

/**
 * Identity-provider usage: writes what an idp-apps import evaluated (UsageEvaluator) in the import's transaction,
 * and answers the evidence to the reports, the tool page and discovery.
 */
@Injectable()
export class IdpUsageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tools: ToolsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Stores the apps and the matched tools' utilisation of the month, sets each tool's activeUsers (through the
   * catalog, audited as tool.updated) unless a later month is already recorded, and audits each tool whose
   * utilisation changed ('idp_usage.recorded'). What is unchanged is not written: the same file twice changes nothing.
   */
  async record(manager: EntityManager, actor: AuthUser, evaluation: UsageEvaluation): Promise<void> {
    const { asOf, source } = evaluation;
    if (!asOf) return;
    const importedAt = new Date();
    const apps = manager.getRepository(IdpApp);
    for (const app of evaluation.apps) {
      if (app.change === 'UNCHANGED') continue;
      const figures = { ...appFigures(app.usage, asOf), toolId: app.tool?.id ?? null, importedAt, importedById: actor.id };
      if (app.stored) await apps.update({ id: app.stored.id }, figures);
      else await apps.insert({ id: uuidv7(), source, appKey: app.key, ...figures });
    }
    const months = manager.getRepository(ToolUtilisation);
    for (const tool of evaluation.tools) {
      if (tool.change !== 'UNCHANGED') {
        if (tool.stored) await months.update({ id: tool.stored.id }, { ...tool.figures, importedAt });
        else await months.insert({ id: uuidv7(), ...tool.figures, importedAt });
        await this.audit.record(manager, {
          action: 'idp_usage.recorded',
          entityType: 'Tool',
          entityId: tool.tool.id,
          before: tool.stored ? auditable(tool.stored) : undefined,
          after: auditable(tool.figures),
          metadata: { source, month: tool.figures.month, asOf },
        });
      }
      if (tool.updatesActiveUsers)
        await this.tools.updateInTransaction(manager, actor, tool.tool.id, {
          activeUsers: tool.usage.activeUsers30,
          version: tool.tool.version,
        });
    }
  }

  /** A tool's utilisation history, oldest month first. */
  async history(toolId: string, manager: EntityManager = this.dataSource.manager): Promise<UtilisationMonth[]> {
    const rows = await manager.getRepository(ToolUtilisation).find({ where: { toolId }, order: { month: 'ASC' } });
    return rows.map(({ id: _id, ...month }) => month);
  }

  /** The latest month of evidence of each tool among `toolIds` that has any: one statement, whatever the number of tools. */
  async latestPerTool(
    toolIds: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, UtilisationMonth>> {
    const out = new Map<string, UtilisationMonth>();
    if (!toolIds.length) return out;
    const wanted = new Set(toolIds);
    const rows = await manager
      .getRepository(ToolUtilisation)
      .createQueryBuilder('u')
      .innerJoin(
        (latest) =>
          latest.select('t.toolId', 'latestTool').addSelect('MAX(t.month)', 'latestMonth').from(ToolUtilisation, 't').groupBy('t.toolId'),
        'l',
        'l.latestTool = u.toolId AND l.latestMonth = u.month',
      )
      .getMany();
    for (const { id: _id, ...row } of rows) if (wanted.has(row.toolId)) out.set(row.toolId, row);
    return out;
  }

  /** When identity-provider usage was last recorded, from which provider and as of which day; null before any import. */
  async lastImport(
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ importedAt: Date; source: IdpSource; asOf: string } | null> {
    const [latest] = await manager.getRepository(IdpApp).find({ order: { importedAt: 'DESC' }, take: 1 });
    return latest ? { importedAt: latest.importedAt, source: latest.source, asOf: latest.asOf } : null;
  }

  /**
   * The apps the identity providers know that match no catalog tool, most used first: the evidence discovery
   * candidates of source IDP are made from (one call hands them over).
   */
  async unmatchedApps(manager: EntityManager = this.dataSource.manager): Promise<UnmatchedIdpApp[]> {
    const rows = await manager.getRepository(IdpApp).find({ where: { toolId: IsNull() } });
    return rows
      .map(({ appKey: _key, toolId: _tool, importedById: _by, ...app }) => app)
      .sort((a, b) => b.activeUsers90 - a.activeUsers90 || b.assignedUsers - a.assignedUsers || a.name.localeCompare(b.name));
  }
}

function auditable(figures: Partial<ToolUtilisation>) {
  return {
    month: figures.month,
    seats: figures.seats,
    assignedUsers: figures.assignedUsers,
    activeUsers30: figures.activeUsers30,
    activeUsers90: figures.activeUsers90,
    unusedSeats: figures.unusedSeats,
    unusedValueMinor: figures.unusedValueMinor === null || figures.unusedValueMinor === undefined ? null : String(figures.unusedValueMinor),
    asOf: figures.asOf,
  };
}
