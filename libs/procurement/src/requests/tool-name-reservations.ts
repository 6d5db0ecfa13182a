import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CatalogChangeHooks, ToolNameReservation } from '@stackgate/catalog';
import { RequestStatus, RequestType } from './review-policy';
import { ToolRequest } from './tool-request.entity';

/**
 * NEW_TOOL requests in review whose proposed name (compared case-insensitively, like tool names)
 * is one of `nameKeys`, except `exceptId`. Requests in review are few at any time (they leave
 * review when decided), so they are read and matched here rather than by a JSON path in SQL, which
 * SQLite and MariaDB spell differently.
 */
export async function requestsInReviewProposing(
  manager: EntityManager,
  nameKeys: readonly string[],
  exceptId?: string,
): Promise<ToolNameReservation[]> {
  if (!nameKeys.length) return [];
  const keys = new Set(nameKeys);
  const rows = await manager.getRepository(ToolRequest).find({
    where: { status: RequestStatus.IN_REVIEW, type: RequestType.NEW_TOOL },
    select: { id: true, title: true, proposedTool: true },
    order: { id: 'ASC' },
  });
  return rows
    .filter((r) => r.id !== exceptId && !!r.proposedTool && keys.has(r.proposedTool.name.trim().toLowerCase()))
    .map((r) => ({ name: r.proposedTool!.name.trim(), entityType: 'ToolRequest', entityId: r.id, title: r.title }));
}

/**
 * Keeps the name of a tool proposed by a request in review free until the request is decided:
 * registering or renaming a tool to it (API, web, import) is refused with 409 TOOL_NAME_RESERVED,
 * so a marketer cannot take the name first and leave the request unable to reach the catalog.
 */
@Injectable()
export class ToolNameReservations implements OnModuleInit {
  constructor(private readonly hooks: CatalogChangeHooks) {}

  onModuleInit(): void {
    this.hooks.register({ toolNameReservations: (m, keys) => requestsInReviewProposing(m, keys) });
  }
}
