import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Lifecycle } from './catalog.enums';
import { Tool } from './tools/tool.entity';

/** Why depending on a tool is risky: it is being sunset, or its renewal decision is to cancel it. */
export type ToolWarningReason = 'SUNSETTING' | 'RENEWAL_CANCEL';

export interface ToolWarning {
  toolId: string;
  toolName: string;
  reason: ToolWarningReason;
  /** A sentence for the reader, e.g. "Acme is being sunset". */
  message: string;
}

/** Another lib's source of warnings (finance: contracts whose renewal decision is CANCEL). */
export interface ToolWarningSource {
  warningsFor(manager: EntityManager, toolIds: readonly string[]): Promise<ToolWarning[]>;
}

/**
 * Warnings about tools a record depends on (a request's tool and the tools it integrates with):
 * the catalog's own (SUNSETTING lifecycle) plus those of the libs registered here, without the
 * catalog importing them.
 */
@Injectable()
export class ToolWarnings {
  private readonly sources: ToolWarningSource[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  register(source: ToolWarningSource): void {
    this.sources.push(source);
  }

  async forTools(toolIds: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<ToolWarning[]> {
    const ids = [...new Set(toolIds)];
    if (!ids.length) return [];
    const sunsetting = await manager
      .getRepository(Tool)
      .find({ where: { id: In(ids), lifecycle: Lifecycle.SUNSETTING }, select: { id: true, name: true } });
    const out: ToolWarning[] = sunsetting.map((t) => ({
      toolId: t.id,
      toolName: t.name,
      reason: 'SUNSETTING',
      message: `${t.name} is being sunset`,
    }));
    for (const source of this.sources) out.push(...(await source.warningsFor(manager, ids)));
    return out.sort((a, b) => a.toolName.localeCompare(b.toolName) || a.reason.localeCompare(b.reason));
  }
}
