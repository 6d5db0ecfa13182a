import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '@stackgate/platform';
import { CatalogError, CatalogErrorCode } from '../catalog.errors';

/** A live dependency that blocks retiring a tool (an integration, for instance). */
export interface LiveDependency {
  type: string;
  id: string;
  description: string;
}

/**
 * Lets other libraries take part in retiring a tool without the catalog importing them (the
 * integrations library depends on the catalog, not the other way round). Each hook lists what
 * still depends on a tool and can retire it inside the caller's transaction.
 */
export interface ToolRetirementHook {
  liveDependencies(manager: EntityManager, toolId: string): Promise<LiveDependency[]>;
  retireDependencies(manager: EntityManager, actor: AuthUser | null, toolId: string): Promise<void>;
}

@Injectable()
export class ToolRetirementHooks {
  private readonly hooks: ToolRetirementHook[] = [];

  register(hook: ToolRetirementHook): void {
    this.hooks.push(hook);
  }

  async liveDependencies(manager: EntityManager, toolId: string): Promise<LiveDependency[]> {
    const all: LiveDependency[] = [];
    for (const hook of this.hooks) all.push(...(await hook.liveDependencies(manager, toolId)));
    return all;
  }

  async retireDependencies(manager: EntityManager, actor: AuthUser | null, toolId: string): Promise<void> {
    for (const hook of this.hooks) await hook.retireDependencies(manager, actor, toolId);
  }

  /** A tool with live integrations retires only with retireIntegrations: true, which retires them too. */
  async retireWithTool(
    manager: EntityManager,
    actor: AuthUser | null,
    toolId: string,
    retireIntegrations: boolean | undefined,
  ): Promise<void> {
    const live = await this.liveDependencies(manager, toolId);
    if (live.length && !retireIntegrations) {
      throw new CatalogError(
        CatalogErrorCode.TOOL_HAS_LIVE_INTEGRATIONS,
        `The tool still has ${live.length} live integration(s); retire them first or send retireIntegrations: true`,
        { dependencies: live },
      );
    }
    if (live.length) await this.retireDependencies(manager, actor, toolId);
  }
}
