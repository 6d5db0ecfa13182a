import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { AuthUser, updateVersioned } from '@stackgate/platform';
import { Vendor } from '../vendors/vendor.entity';
import { Tool } from './tool.entity';
import { ToolQueriesService } from './tool-queries.service';
import { actorOf } from './tool-writes';

/** The security attestation an IT assessment records for a vendor. */
export type AssessedAttestation = 'NONE' | 'SOC2' | 'ISO27001' | 'SOC2_AND_ISO27001';

/** What IT's assessment of a request establishes about the tool and its vendor. */
export interface AssessedFacts {
  ssoSupported: boolean;
  securityAttestation: AssessedAttestation;
  dpaInPlace: boolean;
  dataResidency: string | null;
}

/** Where the facts come from, kept in the audit events' metadata. */
export interface AssessedFactsSource {
  requestId: string;
  assessmentId: string;
  assessorId: string;
}

/** The longest hosting region a tool stores (the assessment allows longer residency notes). */
const HOSTING_REGION_MAX = 60;

/**
 * The mapping of an assessment onto the catalog's fields (documented in docs/ARCHITECTURE.md):
 * ssoSupported → tool.ssoEnabled; dataResidency → tool.hostingRegion (only when IT gave one; cut at
 * 60 characters); securityAttestation → vendor.soc2 and vendor.iso27001; dpaInPlace → vendor.dpaSigned.
 * Pure: answers only the fields whose value differs from what is stored.
 */
export function assessedFactChanges(
  facts: AssessedFacts,
  tool: Pick<Tool, 'ssoEnabled' | 'hostingRegion'>,
  vendor: Pick<Vendor, 'soc2' | 'iso27001' | 'dpaSigned'>,
) {
  const toolChanges: Partial<Pick<Tool, 'ssoEnabled' | 'hostingRegion'>> = {};
  const vendorChanges: Partial<Pick<Vendor, 'soc2' | 'iso27001' | 'dpaSigned'>> = {};
  if (tool.ssoEnabled !== facts.ssoSupported) toolChanges.ssoEnabled = facts.ssoSupported;
  const region = facts.dataResidency?.trim().slice(0, HOSTING_REGION_MAX) || null;
  if (region && tool.hostingRegion !== region) toolChanges.hostingRegion = region;
  const soc2 = facts.securityAttestation === 'SOC2' || facts.securityAttestation === 'SOC2_AND_ISO27001';
  const iso27001 = facts.securityAttestation === 'ISO27001' || facts.securityAttestation === 'SOC2_AND_ISO27001';
  if (vendor.soc2 !== soc2) vendorChanges.soc2 = soc2;
  if (vendor.iso27001 !== iso27001) vendorChanges.iso27001 = iso27001;
  if (vendor.dpaSigned !== facts.dpaInPlace) vendorChanges.dpaSigned = facts.dpaInPlace;
  return { toolChanges, vendorChanges };
}

/**
 * Writes IT's assessed facts onto a tool and its vendor in the caller's transaction (the review
 * workflow's last approval). Each changed record gets a version bump and a `tool.updated` /
 * `vendor.updated` audit event whose metadata names the request and assessment; IT corrects the
 * fields afterwards through the ordinary edit paths, where the field permissions still apply.
 */
@Injectable()
export class AssessedFactsService {
  constructor(
    private readonly audit: AuditService,
    private readonly queries: ToolQueriesService,
  ) {}

  async applyInTransaction(
    manager: EntityManager,
    actor: AuthUser | null,
    toolId: string,
    facts: AssessedFacts,
    source: AssessedFactsSource,
  ): Promise<void> {
    const tool = await this.queries.load(manager, toolId);
    const vendor = await manager.getRepository(Vendor).findOneByOrFail({ id: tool.vendorId });
    const { toolChanges, vendorChanges } = assessedFactChanges(facts, tool, vendor);
    const metadata = { source: 'it-assessment', ...source };
    if (Object.keys(toolChanges).length) {
      await updateVersioned(manager, Tool, 'Tool', toolId, tool.version, toolChanges);
      await this.audit.record(manager, {
        action: 'tool.updated',
        entityType: 'Tool',
        entityId: toolId,
        before: pick(tool, toolChanges),
        after: toolChanges,
        metadata,
        ...actorOf(actor),
      });
    }
    if (Object.keys(vendorChanges).length) {
      await updateVersioned(manager, Vendor, 'Vendor', vendor.id, vendor.version, vendorChanges);
      await this.audit.record(manager, {
        action: 'vendor.updated',
        entityType: 'Vendor',
        entityId: vendor.id,
        before: pick(vendor, vendorChanges),
        after: vendorChanges,
        metadata,
        ...actorOf(actor),
      });
    }
  }
}

const pick = <T extends object>(row: T, changes: object): Partial<T> =>
  Object.fromEntries(Object.keys(changes).map((k) => [k, row[k as keyof T]])) as Partial<T>;
