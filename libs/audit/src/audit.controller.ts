import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Allow, Page, pageParams, Role, validationFailed } from '@stackgate/platform';
import { AuditEvent } from './audit-event.entity';
import { AuditService } from './audit.service';
import { AuditQueryDto } from './dto/audit-query.dto';
import { AuditVerificationResponse } from './dto/audit-verification.response';

function parseInstant(value: string, field: string, endOfDay: boolean): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const instant = new Date(dateOnly ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(instant.getTime())) throw validationFailed(`${field} is not a valid date`);
  if (dateOnly && endOfDay) instant.setUTCDate(instant.getUTCDate() + 1);
  return instant;
}

@ApiTags('audit')
@Controller('audit-events')
export class AuditController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  @ApiOperation({ summary: 'The audit log, newest first (filters: entityType, entityId, actorId, tokenId, actorKind, from, to)' })
  @Get()
  @Allow(Role.CMO, Role.CIO, Role.FINANCE, Role.ADMIN)
  async list(@Query() query: AuditQueryDto): Promise<Page<AuditEvent>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const qb = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e');
    if (query.entityType) qb.andWhere('e.entityType = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('e.entityId = :entityId', { entityId: query.entityId });
    if (query.actorId) qb.andWhere('e.actorId = :actorId', { actorId: query.actorId });
    if (query.tokenId) qb.andWhere('e.tokenId = :tokenId', { tokenId: query.tokenId });
    if (query.actorKind === 'API_TOKEN') qb.andWhere('e.tokenId IS NOT NULL');
    if (query.actorKind === 'PERSON') qb.andWhere('e.actorId IS NOT NULL AND e.tokenId IS NULL');
    if (query.actorKind === 'NONE') qb.andWhere('e.actorId IS NULL');
    if (query.from) qb.andWhere('e.occurredAt >= :from', { from: parseInstant(query.from, 'from', false) });
    if (query.to) qb.andWhere('e.occurredAt < :to', { to: parseInstant(query.to, 'to', true) });
    qb.orderBy('e.occurredAt', 'DESC').addOrderBy('e.id', 'DESC').skip(skip).take(take);
    const [items, total] = await qb.getManyAndCount();
    return { items, page, pageSize, total };
  }

  @ApiOperation({
    summary: 'Checks the whole audit trail for tampering (ADMIN)',
    description:
      "Recomputes every event's hash (version 2 covers every stored field, actorEmail included; events written before " +
      'the upgrade keep their version 1 hash, which does not cover actorEmail, createdAt and updatedAt), follows every hash chain ' +
      "and compares each chain's newest event with its checkpoint, so rewritten, deleted and truncated events are reported. " +
      'Reads the whole trail: run it off-peak on large trails.',
  })
  @ApiOkResponse({ type: AuditVerificationResponse })
  @Get('verify')
  @Allow(Role.ADMIN)
  verify(): Promise<AuditVerificationResponse> {
    return this.audit.verify();
  }
}
