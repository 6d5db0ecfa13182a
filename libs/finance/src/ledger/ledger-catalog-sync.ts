import { Injectable, OnModuleInit } from '@nestjs/common';
import { CatalogChangeHooks } from '@stackgate/catalog';
import { LedgerService } from './ledger.service';

/**
 * Keeps the ledger's copies of catalog attributes current: a tool's new vendor, subcategory,
 * budget owner or allocation rewrites that tool's ledger rows, and a cost center's new kind or a
 * tool's new shadow-IT flag is written onto its rows (and ledger_totals) — in the transaction of the catalog change.
 */
@Injectable()
export class LedgerCatalogSync implements OnModuleInit {
  constructor(
    private readonly hooks: CatalogChangeHooks,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    this.hooks.register({
      toolCostAttributesChanged: (m, toolId) => this.ledger.rewriteForTool(m, toolId),
      costCenterKindChanged: (m, id, kind) => this.ledger.updateCostCenterKind(m, id, kind),
      toolShadowItChanged: (m, toolId, shadowIt) => this.ledger.setShadowIt(m, toolId, shadowIt),
    });
  }
}
