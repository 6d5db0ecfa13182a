import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '@stackgate/platform';
import { CatalogError, CatalogErrorCode } from './catalog.errors';

/** A pending claim on a tool name by another library's record (a NEW_TOOL request in review proposes it). */
export interface ToolNameReservation {
  /** The name as the claim spells it. */
  name: string;
  /** What holds the claim, e.g. 'ToolRequest', its id and a title a user recognizes. */
  entityType: string;
  entityId: string;
  title: string;
}

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
  /**
   * Tools that just became shadow IT (registered or imported as in use without IT approval, or moved
   * into use without it): one call per write (a whole import at once), inside its transaction.
   */
  toolsEnteredShadowIt?(manager: EntityManager, tools: ShadowItEntry[], actor: AuthUser | null, how: ShadowItEntryKind): Promise<void>;
  /** Claims on these tool names (lower-case keys) that registering or renaming a tool must not take. */
  toolNameReservations?(manager: EntityManager, nameKeys: readonly string[]): Promise<ToolNameReservation[]>;
}

/** A tool that became shadow IT: enough to name it in a notice. */
export interface ShadowItEntry {
  id: string;
  name: string;
}
/** How it happened: registered (API, web), imported (a spreadsheet) or updated (its lifecycle changed). */
export type ShadowItEntryKind = 'registered' | 'imported' | 'updated';

export const TOOL_COST_ATTRIBUTES = ['vendorId', 'subcategoryId', 'budgetOwnerId', 'allocation'] as const;

@Injectable()
export class CatalogChangeHooks {
  private readonly hooks: CatalogChangeHook[] = [];

  register(hook: CatalogChangeHook): void {
    this.hooks.push(hook);
  }

  async toolCostAttributesChanged(manager: EntityManager, toolId: string): Promise<void> {
    for (const hook of this.hooks) await hook.toolCostAttributesChanged?.(manager, toolId);
  }

  async costCenterKindChanged(manager: EntityManager, costCenterId: string, kind: string): Promise<void> {
    for (const hook of this.hooks) await hook.costCenterKindChanged?.(manager, costCenterId, kind);
  }

  async toolShadowItChanged(manager: EntityManager, toolId: string, shadowIt: boolean): Promise<void> {
    for (const hook of this.hooks) await hook.toolShadowItChanged?.(manager, toolId, shadowIt);
  }

  async toolsEnteredShadowIt(
    manager: EntityManager,
    tools: ShadowItEntry[],
    actor: AuthUser | null,
    how: ShadowItEntryKind,
  ): Promise<void> {
    if (!tools.length) return;
    for (const hook of this.hooks) await hook.toolsEnteredShadowIt?.(manager, tools, actor, how);
  }

  /**
   * 409 TOOL_NAME_RESERVED when any of `names` (compared case-insensitively, like tool names) is
   * claimed by a record of another library — a NEW_TOOL request in review would otherwise find its
   * name taken at its last approval.
   */
  async assertToolNamesUnreserved(manager: EntityManager, names: readonly string[]): Promise<void> {
    const keys = [...new Set(names.map((n) => n.trim().toLowerCase()).filter(Boolean))];
    if (!keys.length) return;
    for (const hook of this.hooks) {
      const [first, ...more] = (await hook.toolNameReservations?.(manager, keys)) ?? [];
      if (first) throw toolNameReserved(first, more.length);
    }
  }
}

const toolNameReserved = (r: ToolNameReservation, others: number) =>
  new CatalogError(
    CatalogErrorCode.TOOL_NAME_RESERVED,
    `The tool name "${r.name}" is reserved by ${r.entityType === 'ToolRequest' ? 'the tool request' : r.entityType} ` +
      `"${r.title}" (${r.entityId}), which is in review; ` +
      `its approval puts the tool in the catalog${others ? ` (${others} more name(s) of this change are reserved too)` : ''}`,
    { name: r.name, entityType: r.entityType, entityId: r.entityId, ...(r.entityType === 'ToolRequest' ? { requestId: r.entityId } : {}) },
  );
