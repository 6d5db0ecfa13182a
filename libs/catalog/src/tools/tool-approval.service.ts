import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { AuthUser, updateVersioned, validationFailed, withTransaction } from '@stackgate/platform';
import { isShadowIt, ItApprovalStatus } from '../catalog.enums';
import { CatalogChangeHooks } from '../catalog-change-hooks';
import { ItApprovalDto, ToolResponse } from './dto/tool.dto';
import { Tool } from './tool.entity';
import { itApprovalProblems, storedConditions } from './tool-rules';
import { ToolQueriesService } from './tool-queries.service';
import { toolSnapshot } from './tool-views';
import { actorOf } from './tool-writes';

/** IT approval of a tool: the CIO's decision on the tool page, and the review workflow's last approval. */
@Injectable()
export class ToolApprovalService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly changeHooks: CatalogChangeHooks,
    private readonly queries: ToolQueriesService,
  ) {}

  async setItApproval(actor: AuthUser, id: string, dto: ItApprovalDto): Promise<ToolResponse> {
    await withTransaction(this.dataSource, (m) => this.setItApprovalInTransaction(m, actor, id, dto));
    return this.queries.get(id);
  }

  /** Sets the IT approval inside the caller's transaction (CIO decisions, the review workflow). */
  async setItApprovalInTransaction(
    manager: EntityManager,
    actor: AuthUser | null,
    toolId: string,
    input: { status: ItApprovalStatus; rationale: string; conditions?: string | null; version?: number },
  ): Promise<Tool> {
    const problems = itApprovalProblems(input);
    if (problems.length)
      throw validationFailed(
        problems.join('; '),
        problems.map((p) => ({ field: p.split(' ')[0], messages: [p] })),
      );
    const tool = await this.queries.load(manager, toolId);
    const changes: Partial<Tool> = {
      itApprovalStatus: input.status,
      itApprovalRationale: input.rationale.trim(),
      itApprovalConditions: storedConditions(input.status, input.conditions),
      itApprovalDecidedById: actor?.id ?? null,
      itApprovalDecidedAt: new Date(),
      shadowIt: isShadowIt(tool.lifecycle, input.status),
    };
    await updateVersioned(manager, Tool, 'Tool', toolId, input.version ?? tool.version, changes);
    if (changes.shadowIt !== tool.shadowIt) await this.changeHooks.toolShadowItChanged(manager, toolId, changes.shadowIt!);
    const after = await this.queries.load(manager, toolId);
    await this.audit.record(manager, {
      action: 'tool.it_approval_changed',
      entityType: 'Tool',
      entityId: toolId,
      before: toolSnapshot(tool),
      after: toolSnapshot(after),
      ...actorOf(actor),
    });
    return after;
  }
}
