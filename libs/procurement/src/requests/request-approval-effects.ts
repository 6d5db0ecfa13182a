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
    manager: EntityManager,
    actor: AuthUser,
    request: ToolRequest,
    round: ReviewStage[],
  ): Promise<{ toolId: string | null; linked: LinkedTool | null }> {
    const result = await this.applyToCatalog(manager, actor, request, round);
    if (result.toolId) await this.recordCommitment(manager, actor, request, result.toolId);
    return result;
  }

  /**
   * The approved estimate becomes finance's "approved, not yet contracted" commitment for the tool
   * (reports, budget vs actual, governance, the tool page) until finance attaches the contract.
   */
  private async recordCommitment(manager: EntityManager, actor: AuthUser, request: ToolRequest, toolId: string): Promise<void> {
    await this.commitments.recordApprovalInTransaction(manager, actor, {
      requestId: request.id,
      title: request.title,
      toolId,
      annualAmountMinor: request.estimatedAnnualCostMinor,
      currency: request.estimatedAnnualCostCurrency,
      annualBaseMinor: request.estimatedAnnualCostBaseMinor,
      allocation: request.allocation,
      approvedOn: new Date().toISOString().slice(0, 10),
    });
  }

  private async applyToCatalog(
    manager: EntityManager,
    actor: AuthUser,
    request: ToolRequest,
    round: ReviewStage[],
  ): Promise<{ toolId: string | null; linked: LinkedTool | null }> {
    const itStage = round.find((s) => s.stage === Stage.IT);
    const cio = itStage?.decidedById ? await this.authUser(manager, itStage.decidedById) : actor;
    const approval: ItApprovalInput = {
      status: ItApprovalStatus[itApprovalFrom(itStage?.decision ?? null)],
      rationale: itStage?.comment?.trim() || `Approved through request "${request.title}"`,
      conditions: itStage?.decision === Decision.APPROVE_WITH_CONDITIONS ? itStage.conditions : null,
    };
    if (request.type !== RequestType.NEW_TOOL) {
      if (request.toolId) {
        await this.toolApproval.setItApprovalInTransaction(manager, cio, request.toolId, approval);
        await this.applyAssessment(manager, request, request.toolId);
      }
      return { toolId: request.toolId, linked: null };
    }
    // The name was free when the request was submitted and stayed reserved while in review, but a
    // tool may still hold it (registered in a race with the submission, or before this rule). The
    // request is then linked to that tool rather than stuck: see linkExistingTool.
    const existing = await this.catalog.toolByName(request.proposedTool!.name, manager);
    if (existing)
      return {
        toolId: await this.linkExistingTool(manager, request, existing),
        linked: { name: existing.name, itApproval: existing.itApprovalStatus },
      };
    const toolId = await this.createProposedTool(manager, actor, cio, request, approval);
    await this.applyAssessment(manager, request, toolId);
    return { toolId, linked: null };
  }

  /**
   * The facts of the round's current IT assessment (the latest one recorded) written onto the tool
   * and its vendor: SSO, hosting region, SOC 2 / ISO 27001, DPA. The assessor is the audit actor
   * (these are IT's fields). A request linked to a tool someone else registered copies nothing.
   */
  private async applyAssessment(manager: EntityManager, request: ToolRequest, toolId: string): Promise<void> {
    const [assessment] = await manager
      .getRepository(ItAssessment)
      .find({ where: { requestId: request.id, round: request.round }, order: { createdAt: 'DESC', id: 'DESC' }, take: 1 });
    if (!assessment) return;
    const assessor = await this.authUser(manager, assessment.assessorId);
    await this.assessedFacts.applyInTransaction(manager, assessor, toolId, assessment.checklist, {
      requestId: request.id,
      assessmentId: assessment.id,
      assessorId: assessment.assessorId,
    });
  }

  /** A NEW_TOOL request's tool: registered with the review's IT approval and the integrations it needs (PLANNED). */
  private async createProposedTool(
    manager: EntityManager,
    actor: AuthUser,
    cio: AuthUser,
    request: ToolRequest,
    approval: ItApprovalInput,
  ): Promise<string> {
    const proposed = request.proposedTool!;
    const vendor = await this.vendors.findOrCreateByNameInTransaction(manager, actor, proposed.vendorName);
    const budgetOwner = [...request.allocation].sort((a, b) => b.shareBps - a.shareBps)[0].costCenterId;
    const tool = await this.toolRegistration.createInTransaction(
      manager,
      actor,
      {
        name: proposed.name,
        vendorId: vendor.id,
        subcategoryId: proposed.subcategoryId,
        description: request.businessCase.slice(0, 2000),
        capabilities: proposed.capabilities ?? [],
        lifecycle: Lifecycle.APPROVED,
        businessOwnerId: request.requesterId,
        budgetOwnerId: budgetOwner,
        allocation: request.allocation.length > 1 || request.allocation[0].costCenterId !== budgetOwner ? request.allocation : null,
        dataClassification: request.dataCategories.length ? DataClassification.PERSONAL : DataClassification.INTERNAL,
        website: proposed.website ?? null,
      },
      { reservationHolder: true },
    );
    await this.toolApproval.setItApprovalInTransaction(manager, cio, tool.id, approval);
    await this.planIntegrations(manager, actor, request, tool.id);
    await manager.getRepository(ToolRequest).update({ id: request.id }, { toolId: tool.id });
    return tool.id;
  }

  /** The integrations the request said the new tool needs, as PLANNED (both ways for BIDIRECTIONAL). */
  private async planIntegrations(manager: EntityManager, actor: AuthUser, request: ToolRequest, toolId: string): Promise<void> {
    const personal = request.dataCategories.length > 0;
    for (const required of request.requiredIntegrations) {
      const pairs: [string, string][] =
        required.direction === 'OUTBOUND'
          ? [[toolId, required.toolId]]
          : required.direction === 'INBOUND'
            ? [[required.toolId, toolId]]
            : [
                [toolId, required.toolId],
                [required.toolId, toolId],
              ];
      for (const [sourceToolId, targetToolId] of pairs) {
        await this.integrations.createInTransaction(manager, actor, {
          sourceToolId,
          targetToolId,
          dataObjects: required.dataObjects,
          method: IntegrationMethod.API,
          frequency: IntegrationFrequency.DAILY,
          status: IntegrationStatus.PLANNED,
          carriesPersonalData: personal,
          ownerId: request.requesterId,
          notes: `Required by request "${request.title}"`,
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
  private async linkExistingTool(manager: EntityManager, request: ToolRequest, tool: ToolFacts): Promise<string> {
    await manager.getRepository(ToolRequest).update({ id: request.id }, { toolId: tool.id });
    await this.audit.record(manager, {
      action: 'request.linked_existing_tool',
      entityType: 'ToolRequest',
      entityId: request.id,
      after: { toolId: tool.id },
      metadata: { toolName: tool.name, toolItApproval: tool.itApprovalStatus, toolCreatedById: tool.createdById, itApprovalCopied: false },
    });
    return tool.id;
  }

  /** The account that decided the IT stage, as the actor of the IT approval it gives (an empty one if the account is gone). */
  private async authUser(manager: EntityManager, id: string): Promise<AuthUser> {
    return (await this.people.actor(id, manager)) ?? { id, email: '', displayName: '', roles: [] };
  }
}
