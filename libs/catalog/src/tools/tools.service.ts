import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser, Page } from '@stackgate/platform';
import { ItApprovalStatus } from '../catalog.enums';
import {
  CreateToolDto,
  ItApprovalDto,
  RetireToolDto,
  ToolHistoryEventResponse,
  ToolQueryDto,
  ToolResponse,
  UpdateToolDto,
} from './dto/tool.dto';
import { Tool } from './tool.entity';
import { ToolApprovalService } from './tool-approval.service';
import { ToolQueriesService } from './tool-queries.service';
import { ToolRegistrationService } from './tool-registration.service';
import { ToolFieldInput } from './tool-writes';

export { toToolResponse, toolSnapshot, ToolRefNames } from './tool-views';

/**
 * The tools API's entry point (the HTTP controller, the web pages, scripts and tests): it only
 * delegates, to the service of each concern — ToolRegistrationService (create, update, retire),
 * ToolApprovalService (IT approval), ToolQueriesService (reads). Other libraries' code in a
 * transaction (the review workflow, the import) uses those directly.
 */
@Injectable()
export class ToolsService {
  constructor(
    private readonly registration: ToolRegistrationService,
    private readonly approval: ToolApprovalService,
    private readonly queries: ToolQueriesService,
  ) {}

  createInTransaction(
    manager: EntityManager,
    actor: AuthUser | null,
    input: CreateToolDto,
    opts: { reservationHolder?: boolean } = {},
  ): Promise<Tool> {
    return this.registration.createInTransaction(manager, actor, input, opts);
  }

  createManyInTransaction(
    manager: EntityManager,
    actor: AuthUser | null,
    inputs: CreateToolDto[],
    opts: { namesChecked?: boolean } = {},
  ): Promise<number> {
    return this.registration.createManyInTransaction(manager, actor, inputs, opts);
  }

  updateInTransaction(manager: EntityManager, actor: AuthUser | null, id: string, dto: UpdateToolDto): Promise<Tool> {
    return this.registration.updateInTransaction(manager, actor, id, dto);
  }

  checkReferences(manager: EntityManager, input: ToolFieldInput): Promise<string | undefined> {
    return this.registration.checkReferences(manager, input);
  }

  create(actor: AuthUser, dto: CreateToolDto): Promise<ToolResponse> {
    return this.registration.create(actor, dto);
  }

  update(actor: AuthUser, id: string, dto: UpdateToolDto): Promise<ToolResponse> {
    return this.registration.update(actor, id, dto);
  }

  retire(actor: AuthUser, id: string, dto: RetireToolDto): Promise<ToolResponse> {
    return this.registration.retire(actor, id, dto);
  }

  setItApprovalInTransaction(
    manager: EntityManager,
    actor: AuthUser | null,
    toolId: string,
    input: { status: ItApprovalStatus; rationale: string; conditions?: string | null; version?: number },
  ): Promise<Tool> {
    return this.approval.setItApprovalInTransaction(manager, actor, toolId, input);
  }

  setItApproval(actor: AuthUser, id: string, dto: ItApprovalDto): Promise<ToolResponse> {
    return this.approval.setItApproval(actor, id, dto);
  }

  get(id: string, manager?: EntityManager): Promise<ToolResponse> {
    return this.queries.get(id, manager);
  }

  toResponse(tool: Tool, manager?: EntityManager): Promise<ToolResponse> {
    return this.queries.toResponse(tool, manager);
  }

  toResponses(tools: Tool[], manager?: EntityManager): Promise<ToolResponse[]> {
    return this.queries.toResponses(tools, manager);
  }

  load(manager: EntityManager, id: string): Promise<Tool> {
    return this.queries.load(manager, id);
  }

  list(query: ToolQueryDto): Promise<Page<ToolResponse>> {
    return this.queries.list(query);
  }

  history(id: string, paging: { page?: number; pageSize?: number }): Promise<Page<ToolHistoryEventResponse>> {
    return this.queries.history(id, paging);
  }
}
