import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Lets libraries that keep copies of catalog attributes (the finance ledger denormalizes a tool's
 * vendor, category, subcategory, cost centers, their kinds and the shadow-IT flag) follow catalog changes inside the
 * same transaction, without the catalog importing them.
 */
export interface CatalogChangeHook {
  /** The tool's vendor, subcategory, budget owner or default allocation changed. */
  toolCostAttributesChanged?(manager: EntityManager, toolId: string): Promise<void>;
  /** A cost center's kind (MARKETING / IT / OTHER) changed. */
  costCenterKindChanged?(manager: EntityManager, costCenterId: string, kind: string): Promise<void>;
  /** The tool's shadow-IT flag changed (its lifecycle or IT approval changed). */
  toolShadowItChanged?(manager: EntityManager, toolId: string, shadowIt: boolean): Promise<void>;
}

export const TOOL_COST_ATTRIBUTES = ['vendorId', 'subcategoryId', 'budgetOwnerId', 'allocation'] as const;

@Injectable()
export class CatalogChangeHooks {
  private readonly hooks: CatalogChangeHook[] = [];

  register(hook: CatalogChangeHook): void {
    this.hooks.push(hook);
  }

  async toolCostAttributesChanged(manager: EntityManager, toolId: string): Promise<void> {
    for (const h of this.hooks) await h.toolCostAttributesChanged?.(manager, toolId);
  }

  async costCenterKindChanged(manager: EntityManager, costCenterId: string, kind: string): Promise<void> {
    for (const h of this.hooks) await h.costCenterKindChanged?.(manager, costCenterId, kind);
  }

  async toolShadowItChanged(manager: EntityManager, toolId: string, shadowIt: boolean): Promise<void> {
    for (const h of this.hooks) await h.toolShadowItChanged?.(manager, toolId, shadowIt);
  }
}
