import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, JobScheduler, withTransaction } from '@stackgate/platform';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEvent } from './webhook-event.entity';
import { retryDelayMs, signingSecrets } from './webhook-rules';
import { WebhookSecretBox } from './webhook-secrets';
import { postWebhook, SendResult } from './webhook-sender';
import { signatureHeader, SIGNATURE_HEADER } from './webhook-signature';
import { EndpointDisabler } from './endpoint-disabler';

export const WEBHOOK_JOB = 'webhook-delivery';
const BATCH = 50;
const UNFINISHED = [WebhookDeliveryStatus.PENDING, WebhookDeliveryStatus.SENDING];

/**
 * Delivers the webhook outbox on every scheduler tick, on every instance: each delivery is claimed by one
 * conditional UPDATE (PENDING → SENDING, with a claim that expires), so an event goes to an endpoint once
 * per attempt however many instances run; a crash mid-send leaves the claim to expire and the delivery is
 * sent again (at least once: receivers deduplicate on the event id). A delivery waits while an earlier event
 * of the same resource is still pending for the same endpoint (in order per resource).
 */
@Injectable()
export class WebhookDeliveryJob implements OnModuleInit {
  private readonly logger = new Logger('WebhookDelivery');
  private readonly box: WebhookSecretBox;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: JobScheduler,
    private readonly disabler: EndpointDisabler,
  ) {
    this.box = new WebhookSecretBox(config.jwtSecret);
  }

  onModuleInit(): void {
    this.scheduler.register({ name: WEBHOOK_JOB, run: async (now) => void (await this.run(now)) });
  }

  /** One pass: sends what is due at `now` (in event order per resource); answers how many attempts were made. */
  async run(now = new Date()): Promise<number> {
    const active = await this.dataSource.getRepository(WebhookEndpoint).find({ where: { active: true }, select: { id: true } });
    if (!active.length) return 0;
    const due = await this.dataSource
      .getRepository(WebhookDelivery)
      .createQueryBuilder('d')
      .where('d.endpointId IN (:...ids)', { ids: active.map((endpoint) => endpoint.id) })
      .andWhere(
        new Brackets((w) =>
          w
            .where('d.status = :pending AND d.nextAttemptAt <= :now', { pending: WebhookDeliveryStatus.PENDING, now })
            .orWhere('d.status = :sending AND d.claimedUntil < :now', { sending: WebhookDeliveryStatus.SENDING }),
        ),
      )
      .orderBy('d.occurredAt', 'ASC')
      .addOrderBy('d.position', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .take(BATCH)
      .getMany();
    let attempts = 0;
    for (const delivery of due) {
      if (await this.waitsForEarlier(delivery)) continue;
      if (!(await this.claim(delivery, now))) continue;
      await this.attempt(delivery, now);
      attempts++;
    }
    return attempts;
  }

  /** True while an earlier event of the same resource is not yet delivered (or given up) to the same endpoint. */
  private async waitsForEarlier(delivery: WebhookDelivery): Promise<boolean> {
    const earlier = await this.dataSource
      .getRepository(WebhookDelivery)
      .createQueryBuilder('d')
      .where('d.endpointId = :endpointId AND d.resourceKey = :key AND d.status IN (:...open) AND d.id <> :id', {
        endpointId: delivery.endpointId,
        key: delivery.resourceKey,
        open: UNFINISHED,
        id: delivery.id,
      })
      .andWhere(
        new Brackets((w) =>
          w
            .where('d.occurredAt < :at', { at: delivery.occurredAt })
            .orWhere('d.occurredAt = :at AND d.position < :position', { position: delivery.position })
            .orWhere('d.occurredAt = :at AND d.position = :position AND d.id < :id'),
        ),
      )
      .getCount();
    return earlier > 0;
  }

  private async claim(delivery: WebhookDelivery, now: Date): Promise<boolean> {
    const claimedUntil = new Date(now.getTime() + this.config.webhooksTimeoutSeconds * 1000 + 60_000);
    const res = await withTransaction(this.dataSource, (m) =>
      m
        .createQueryBuilder()
        .update(WebhookDelivery)
        .set({ status: WebhookDeliveryStatus.SENDING, claimedUntil, updatedAt: new Date() })
        .where('id = :id', { id: delivery.id })
        .andWhere(
          new Brackets((w) =>
            w
              .where('status = :pending', { pending: WebhookDeliveryStatus.PENDING })
              .orWhere('status = :sending AND claimedUntil < :now', { sending: WebhookDeliveryStatus.SENDING, now }),
          ),
        )
        .execute(),
    );
    return res.affected === 1;
  }

  private async attempt(delivery: WebhookDelivery, now: Date): Promise<void> {
    const endpoint = await this.dataSource.getRepository(WebhookEndpoint).findOneBy({ id: delivery.endpointId });
    const event = await this.dataSource.getRepository(WebhookEvent).findOneBy({ id: delivery.eventId });
    if (!endpoint || !event) return;
    const result = await this.send(endpoint, event, now);
    const attempts = delivery.attempts + 1;
    const failedForGood = !result.ok && attempts >= this.config.webhooksMaxAttempts;
    await withTransaction(this.dataSource, (m) =>
      m.getRepository(WebhookDelivery).update(
        { id: delivery.id },
        {
          status: result.ok
            ? WebhookDeliveryStatus.DELIVERED
            : failedForGood
              ? WebhookDeliveryStatus.FAILED
              : WebhookDeliveryStatus.PENDING,
          attempts,
          lastAttemptAt: new Date(),
          responseStatus: result.status,
          latencyMs: result.latencyMs,
          lastError: result.error,
          deliveredAt: result.ok ? new Date() : null,
          nextAttemptAt:
            result.ok || failedForGood ? null : new Date(now.getTime() + retryDelayMs(attempts, this.config.webhooksRetryBaseSeconds)),
          claimedUntil: null,
          updatedAt: new Date(),
        },
      ),
    );
    if (result.ok) await this.disabler.succeeded(endpoint.id);
    else {
      this.logger.warn({ msg: 'webhook delivery failed', deliveryId: delivery.id, endpointId: endpoint.id, attempts, err: result.error });
      await this.disabler.failed(endpoint.id, result.error ?? 'failed');
    }
  }

  /** The body `{id, type, createdAt, data}`, signed with every secret valid at `now`. */
  private async send(endpoint: WebhookEndpoint, event: WebhookEvent, now: Date): Promise<SendResult> {
    const current = this.box.open(endpoint.secretSealed);
    if (!current) return { status: null, ok: false, latencyMs: 0, error: 'secret unreadable (JWT_SECRET changed?): rotate the secret' };
    const previous = endpoint.previousSecretSealed ? this.box.open(endpoint.previousSecretSealed) : null;
    const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.occurredAt.toISOString(), data: event.data });
    const timestamp = Math.floor(Date.now() / 1000);
    return postWebhook(
      endpoint.url,
      body,
      {
        [SIGNATURE_HEADER]: signatureHeader(signingSecrets(current, previous, endpoint.previousSecretExpiresAt, now), timestamp, body),
        'Stackgate-Event-Id': event.id,
        'Stackgate-Event-Type': event.type,
      },
      { timeoutMs: this.config.webhooksTimeoutSeconds * 1000, allowPrivate: this.config.webhooksAllowPrivate },
    );
  }
}
