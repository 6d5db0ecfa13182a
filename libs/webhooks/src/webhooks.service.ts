import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { APP_CONFIG, AppConfig, AuthUser, notFound, Page, pageParams, updateVersioned, uuidv7, withTransaction } from '@stackgate/platform';
import { DeliveryQueryDto, CreateWebhookDto, UpdateWebhookDto, WebhookDeliveryResponse, WebhookResponse } from './dto/webhook.dto';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEvent } from './webhook-event.entity';
import { pendingDelivery } from './webhook-outbox';
import { DEFAULT_ROTATION_GRACE_HOURS } from './webhook-rules';
import { newWebhookSecret, WebhookSecretBox } from './webhook-secrets';
import { webhookUrlProblem } from './webhook-url-policy';
import { WebhooksError, WebhooksErrorCode } from './webhooks.errors';

/** What the audit trail keeps of an endpoint (never a secret). */
const snapshot = (endpoint: WebhookEndpoint) => ({
  url: endpoint.url,
  description: endpoint.description,
  events: endpoint.events,
  active: endpoint.active,
});

export function toWebhookResponse(endpoint: WebhookEndpoint): WebhookResponse {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    active: endpoint.active,
    disabledAt: endpoint.disabledAt,
    disabledReason: endpoint.disabledReason,
    consecutiveFailures: endpoint.consecutiveFailures,
    secretRotatedAt: endpoint.secretRotatedAt,
    previousSecretExpiresAt: endpoint.previousSecretExpiresAt,
    createdById: endpoint.createdById,
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
    version: endpoint.version,
  };
}

export function toDeliveryResponse(delivery: WebhookDelivery): WebhookDeliveryResponse {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempt: delivery.attempts,
    responseStatus: delivery.responseStatus,
    latencyMs: delivery.latencyMs,
    lastError: delivery.lastError,
    lastAttemptAt: delivery.lastAttemptAt,
    nextRetryAt: delivery.status === WebhookDeliveryStatus.PENDING ? delivery.nextAttemptAt : null,
    deliveredAt: delivery.deliveredAt,
    redeliveryOf: delivery.redeliveryOf,
    createdAt: delivery.createdAt,
  };
}

/** Administrators' webhook endpoints: register, change, rotate the secret, remove; the delivery log and redelivery. */
@Injectable()
export class WebhooksService {
  private readonly box: WebhookSecretBox;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {
    this.box = new WebhookSecretBox(config.jwtSecret);
  }

  private checkUrl(url: string): void {
    const problem = webhookUrlProblem(url, this.config.webhooksAllowPrivate);
    if (problem) throw new WebhooksError(WebhooksErrorCode.WEBHOOK_URL_REFUSED, `url ${problem}`, { field: 'url' });
  }

  private async load(id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.dataSource.getRepository(WebhookEndpoint).findOneBy({ id });
    if (!endpoint) throw notFound('Webhook', id);
    return endpoint;
  }

  async list(): Promise<WebhookResponse[]> {
    const rows = await this.dataSource.getRepository(WebhookEndpoint).find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toWebhookResponse);
  }

  async get(id: string): Promise<WebhookResponse> {
    return toWebhookResponse(await this.load(id));
  }

  async create(actor: AuthUser, dto: CreateWebhookDto): Promise<WebhookResponse & { secret: string }> {
    this.checkUrl(dto.url);
    const secret = newWebhookSecret();
    const now = new Date();
    const endpoint = Object.assign(new WebhookEndpoint(), {
      id: uuidv7(now.getTime()),
      url: dto.url,
      description: dto.description?.trim() || null,
      events: [...new Set(dto.events)],
      active: true,
      secretSealed: this.box.seal(secret),
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      secretRotatedAt: now,
      consecutiveFailures: 0,
      disabledAt: null,
      disabledReason: null,
      createdById: actor.id,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    await withTransaction(this.dataSource, async (manager) => {
      await manager.getRepository(WebhookEndpoint).insert(endpoint);
      await this.audit.record(manager, {
        action: 'webhook.created',
        entityType: 'WebhookEndpoint',
        entityId: endpoint.id,
        after: snapshot(endpoint),
      });
    });
    return { ...toWebhookResponse(endpoint), secret };
  }

  async update(id: string, dto: UpdateWebhookDto): Promise<WebhookResponse & { secret?: string }> {
    if (dto.url !== undefined) this.checkUrl(dto.url);
    let secret: string | undefined;
    await withTransaction(this.dataSource, async (manager) => {
      const before = await manager.getRepository(WebhookEndpoint).findOneBy({ id });
      if (!before) throw notFound('Webhook', id);
      const now = new Date();
      const changes: Partial<WebhookEndpoint> = {};
      if (dto.url !== undefined) changes.url = dto.url;
      if (dto.events !== undefined) changes.events = [...new Set(dto.events)];
      if (dto.description !== undefined) changes.description = dto.description?.trim() || null;
      if (dto.active !== undefined && dto.active !== before.active) {
        Object.assign(changes, { active: dto.active, disabledAt: null, disabledReason: null, consecutiveFailures: 0 });
        if (!dto.active) Object.assign(changes, { disabledAt: now, disabledReason: 'paused by an administrator' });
      }
      if (dto.rotateSecret) {
        secret = newWebhookSecret();
        const graceMs = (dto.graceHours ?? DEFAULT_ROTATION_GRACE_HOURS) * 3600_000;
        Object.assign(changes, {
          secretSealed: this.box.seal(secret),
          previousSecretSealed: graceMs > 0 ? before.secretSealed : null,
          previousSecretExpiresAt: graceMs > 0 ? new Date(now.getTime() + graceMs) : null,
          secretRotatedAt: now,
        });
      }
      await updateVersioned(manager, WebhookEndpoint, 'Webhook', id, dto.version, changes);
      const after = { ...before, ...changes };
      await this.audit.record(manager, {
        action: 'webhook.updated',
        entityType: 'WebhookEndpoint',
        entityId: id,
        before: snapshot(before),
        after: snapshot(after),
        ...(dto.rotateSecret ? { metadata: { secretRotated: true, graceHours: dto.graceHours ?? DEFAULT_ROTATION_GRACE_HOURS } } : {}),
      });
    });
    const response = await this.get(id);
    return secret ? { ...response, secret } : response;
  }

  async remove(id: string): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      const endpoint = await manager.getRepository(WebhookEndpoint).findOneBy({ id });
      if (!endpoint) throw notFound('Webhook', id);
      await manager.getRepository(WebhookDelivery).delete({ endpointId: id });
      await manager.getRepository(WebhookEndpoint).delete({ id });
      await this.audit.record(manager, {
        action: 'webhook.deleted',
        entityType: 'WebhookEndpoint',
        entityId: id,
        before: snapshot(endpoint),
      });
    });
  }

  async deliveries(id: string, query: DeliveryQueryDto): Promise<Page<WebhookDeliveryResponse>> {
    await this.load(id);
    const { page, pageSize, skip, take } = pageParams(query);
    const [rows, total] = await this.dataSource
      .getRepository(WebhookDelivery)
      .findAndCount({ where: { endpointId: id }, order: { createdAt: 'DESC', id: 'DESC' }, skip, take });
    return { items: rows.map(toDeliveryResponse), page, pageSize, total };
  }

  /** Sends a delivery's event again (same event id and body), as a new delivery due now. */
  async redeliver(id: string, deliveryId: string): Promise<WebhookDeliveryResponse> {
    const created = await withTransaction(this.dataSource, async (manager) => {
      const original = await manager.getRepository(WebhookDelivery).findOneBy({ id: deliveryId, endpointId: id });
      if (!original) throw notFound('Webhook delivery', deliveryId);
      const event = await manager.getRepository(WebhookEvent).findOneByOrFail({ id: original.eventId });
      const delivery = pendingDelivery(id, event, new Date(), original.id);
      await manager.getRepository(WebhookDelivery).insert(delivery);
      await this.audit.record(manager, {
        action: 'webhook.redelivered',
        entityType: 'WebhookEndpoint',
        entityId: id,
        metadata: { deliveryId: original.id, eventId: event.id, eventType: event.type },
      });
      return delivery;
    });
    return toDeliveryResponse(created);
  }

  /** Deliveries of these endpoints by status (the web page's counts). */
  async statusCounts(ids: readonly string[]): Promise<Map<string, Record<string, number>>> {
    const counts = new Map<string, Record<string, number>>();
    if (!ids.length) return counts;
    const rows: { endpointId: string; status: string; count: string }[] = await this.dataSource
      .getRepository(WebhookDelivery)
      .createQueryBuilder('d')
      .select('d.endpointId', 'endpointId')
      .addSelect('d.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .where({ endpointId: In([...ids]) })
      .groupBy('d.endpointId')
      .addGroupBy('d.status')
      .getRawMany();
    for (const row of rows) counts.set(row.endpointId, { ...(counts.get(row.endpointId) ?? {}), [row.status]: Number(row.count) });
    return counts;
  }
}
