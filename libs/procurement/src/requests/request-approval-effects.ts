import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import {
  AssessedFactsService,
  CatalogQueries,
  DataClassification,
  ItApprovalStatus,
  Lifecycle,
  ToolApprovalService,
  ToolFacts,
  ToolRegistrationService,
  VendorsService,
} from '@stackgate/catalog';
import { ApprovedCommitmentsService } from '@stackgate/finance';
import { PeopleDirectory } from '@stackgate/identity';
import { IntegrationFrequency, IntegrationMethod, IntegrationsService, IntegrationStatus } from '@stackgate/integrations';
import { AuthUser } from '@stackgate/platform';
import { LinkedTool } from './request-notices';
import { Decision, itApprovalFrom, RequestType, Stage } from './review-policy';
import { ItAssessment, ReviewStage, ToolRequest } from './tool-request.entity';

/** The IT approval a request's review gives its tool: from the IT stage's decision. */
type ItApprovalInput = { status: ItApprovalStatus; rationale: string; conditions: string | null };

/**
 * What happens when a request is finally approved, in the decision's transaction: the tool gets the
 * review's IT approval; a NEW_TOOL request creates its tool (and vendor, and planned integrations)
 * or, when a tool already holds the name, is linked to it.
 */
@Injectable()
export class RequestApprovalEffects {
  constructor(
    private readonly audit: AuditService,
    private readonly toolRegistration: ToolRegistrationService,
    private readonly toolApproval: ToolApprovalService,
    private readonly vendors: VendorsService,
    private readonly integrations: IntegrationsService,
    private readonly catalog: CatalogQueries,
    private readonly people: PeopleDirectory,
    private readonly assessedFacts: AssessedFactsService,
    private readonly commitments: ApprovedCommitmentsService,
  ) {}

  /** The last approval's effects: the catalog tool's id, and the tool it was linked to instead of created, if any. */
  async apply(
    m: EntityManager,
    actor: AuthUser,
    r: ToolRequest,
    round: ReviewStage[],
  ): Promise<{ toolId: string | null; linked: LinkedTool | null }> {
    const result = await this.applyToCatalog(m, actor, r, round);
    if (result.toolId) await this.recordCommitment(m, actor, r, result.toolId);
    return result;
  }

  /**
   * The approved estimate becomes finance's "approved, not yet contracted" commitment for the tool
   * (reports, budget vs actual, governance, the tool page) until finance attaches the contract.
   */
  private async recordCommitment(m: EntityManager, actor: AuthUser, r: ToolRequest, toolId: string): Promise<void> {
    await this.commitments.recordApprovalInTransaction(m, actor, {
      requestId: r.id,
      title: r.title,
      toolId,
      annualAmountMinor: r.estimatedAnnualCostMinor,
      currency: r.estimatedAnnualCostCurrency,
      annualBaseMinor: r.estimatedAnnualCostBaseMinor,
      allocation: r.allocation,
      approvedOn: new Date().toISOString().slice(0, 10),
    });
  }

  private async applyToCatalog(
    m: EntityManager,
    actor: AuthUser,
    r: ToolRequest,
    round: ReviewStage[],
  ): Promise<{ toolId: string | null; linked: LinkedTool | null }> {
    const itStage = round.find((s) => s.stage === Stage.IT);
    const cio = itStage?.decidedById ? await this.authUser(m, itStage.decidedById) : actor;
    const approval: ItApprovalInput = {
      status: ItApprovalStatus[itApprovalFrom(itStage?.decision ?? null)],
      rationale: itStage?.comment?.trim() || `Approved through request "${r.title}"`,
      conditions: itStage?.decision === Decision.APPROVE_WITH_CONDITIONS ? itStage.conditions : null,
    };
    if (r.type !== RequestType.NEW_TOOL) {
      if (r.toolId) {
        await this.toolApproval.setItApprovalInTransaction(m, cio, r.toolId, approval);
        await this.applyAssessment(m, r, r.toolId);
      }
      return { toolId: r.toolId, linked: null };
    }
    // The name was free when the request was submitted and stayed reserved while in review, but a
    // tool may still hold it (registered in a race with the submission, or before this rule). The
    // request is then linked to that tool rather than stuck: see linkExistingTool.
    const existing = await this.catalog.toolByName(r.proposedTool!.name, m);
    if (existing)
      return {
        toolId: await this.linkExistingTool(m, r, existing),
        linked: { name: existing.name, itApproval: existing.itApprovalStatus },
      };
    const toolId = await this.createProposedTool(m, actor, cio, r, approval);
    await this.applyAssessment(m, r, toolId);
    return { toolId, linked: null };
  }

  /**
   * The facts of the round's current IT assessment (the latest one recorded) written onto the tool
   * and its vendor: SSO, hosting region, SOC 2 / ISO 27001, DPA. The assessor is the audit actor
   * (these are IT's fields). A request linked to a tool someone else registered copies nothing.
   */
  private async applyAssessment(m: EntityManager, r: ToolRequest, toolId: string): Promise<void> {
    const [a] = await m
      .getRepository(ItAssessment)
      .find({ where: { requestId: r.id, round: r.round }, order: { createdAt: 'DESC', id: 'DESC' }, take: 1 });
    if (!a) return;
    const assessor = await this.authUser(m, a.assessorId);
    await this.assessedFacts.applyInTransaction(m, assessor, toolId, a.checklist, {
      requestId: r.id,
      assessmentId: a.id,
      assessorId: a.assessorId,
    });
  }

  /** A NEW_TOOL request's tool: registered with the review's IT approval and the integrations it needs (PLANNED). */
  private async createProposedTool(
    m: EntityManager,
    actor: AuthUser,
    cio: AuthUser,
    r: ToolRequest,
    approval: ItApprovalInput,
  ): Promise<string> {
    const p = r.proposedTool!;
    const vendor = await this.vendors.findOrCreateByNameInTransaction(m, actor, p.vendorName);
    const budgetOwner = [...r.allocation].sort((a, b) => b.shareBps - a.shareBps)[0].costCenterId;
    const tool = await this.toolRegistration.createInTransaction(
      m,
      actor,
      {
        name: p.name,
        vendorId: vendor.id,
        subcategoryId: p.subcategoryId,
        description: r.businessCase.slice(0, 2000),
        capabilities: p.capabilities ?? [],
        lifecycle: Lifecycle.APPROVED,
        businessOwnerId: r.requesterId,
        budgetOwnerId: budgetOwner,
        allocation: r.allocation.length > 1 || r.allocation[0].costCenterId !== budgetOwner ? r.allocation : null,
        dataClassification: r.dataCategories.length ? DataClassification.PERSONAL : DataClassification.INTERNAL,
        website: p.website ?? null,
      },
      { reservationHolder: true },
    );
    await this.toolApproval.setItApprovalInTransaction(m, cio, tool.id, approval);
    await this.planIntegrations(m, actor, r, tool.id);
    await m.getRepository(ToolRequest).update({ id: r.id }, { toolId: tool.id });
    return tool.id;
  }

  /** The integrations the request said the new tool needs, as PLANNED (both ways for BIDIRECTIONAL). */
  private async planIntegrations(m: EntityManager, actor: AuthUser, r: ToolRequest, toolId: string): Promise<void> {
    const personal = r.dataCategories.length > 0;
    for (const i of r.requiredIntegrations) {
      const pairs: [string, string][] =
        i.direction === 'OUTBOUND'
          ? [[toolId, i.toolId]]
          : i.direction === 'INBOUND'
            ? [[i.toolId, toolId]]
            : [
                [toolId, i.toolId],
                [i.toolId, toolId],
              ];
      for (const [sourceToolId, targetToolId] of pairs) {
        await this.integrations.createInTransaction(m, actor, {
          sourceToolId,
          targetToolId,
          dataObjects: i.dataObjects,
          method: IntegrationMethod.API,
          frequency: IntegrationFrequency.DAILY,
          status: IntegrationStatus.PLANNED,
          carriesPersonalData: personal,
          ownerId: r.requesterId,
          notes: `Required by request "${r.title}"`,
        });
      }
    }
  }

  /**
   * The last approval of a NEW_TOOL request whose name a catalog tool already holds: the request is
   * approved and linked to that tool, and nothing of the review is copied onto it. Its IT approval,
   * lifecycle and owners stay as they are — IT assessed the proposal, not that entry, which someone
   * else registered — and no integrations are planned for it; the approval notice tells the
   * requester and the CMO/CIO so, and the CIO sets the tool's IT approval on the tool page.
   */
  private async linkExistingTool(m: EntityManager, r: ToolRequest, tool: ToolFacts): Promise<string> {
    await m.getRepository(ToolRequest).update({ id: r.id }, { toolId: tool.id });
    await this.audit.record(m, {
      action: 'request.linked_existing_tool',
      entityType: 'ToolRequest',
      entityId: r.id,
      after: { toolId: tool.id },
      metadata: { toolName: tool.name, toolItApproval: tool.itApprovalStatus, toolCreatedById: tool.createdById, itApprovalCopied: false },
    });
    return tool.id;
  }

  /** The account that decided the IT stage, as the actor of the IT approval it gives (an empty one if the account is gone). */
  private async authUser(m: EntityManager, id: string): Promise<AuthUser> {
    return (await this.people.actor(id, m)) ?? { id, email: '', displayName: '', roles: [] };
  }
}
