import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThan } from 'typeorm';
import { APP_CONFIG, AppConfig, JobLeaseService, JobScheduler, withTransaction } from '@stackgate/platform';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEvent } from './webhook-event.entity';

export const WEBHOOK_RETENTION_JOB = 'webhook-retention';
/** Rows per DELETE: short transactions (a Galera write set stays small) that never hold the tables for long. */
const BATCH = 1000;

/**
 * Once a day (one instance per day), forgets the webhook log older than WEBHOOKS_RETENTION_DAYS: finished
 * deliveries (delivered or given up), then the events no delivery refers to any more. A delivery still
 * waiting (a paused or disabled endpoint) keeps itself and its event, whatever its age, so it still goes
 * out in order when the endpoint is enabled again. A purged delivery can no longer be redelivered.
 */
@Injectable()
export class WebhookRetentionJob implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: JobScheduler,
    private readonly leases: JobLeaseService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: WEBHOOK_RETENTION_JOB, run: async (now) => void (await this.run(now)) });
  }

  /** The day's pass (skipped when another instance took the day); answers the deliveries and events deleted. */
  async run(now = new Date()): Promise<{ deliveries: number; events: number }> {
    if (!(await this.leases.claimPeriod(WEBHOOK_RETENTION_JOB, now.toISOString().slice(0, 10)))) return { deliveries: 0, events: 0 };
    return this.purge(now);
  }

  /** Deletes what is older than the retention at `now`, in batches. */
  async purge(now: Date): Promise<{ deliveries: number; events: number }> {
    const cutoff = new Date(now.getTime() - this.config.webhooksRetentionDays * 86_400_000);
    const finished = [WebhookDeliveryStatus.DELIVERED, WebhookDeliveryStatus.FAILED];
    const deliveries = await this.inBatches(WebhookDelivery, () =>
      this.dataSource.getRepository(WebhookDelivery).find({
        select: { id: true },
        where: { status: In(finished), createdAt: LessThan(cutoff) },
        take: BATCH,
      }),
    );
    const events = await this.inBatches(WebhookEvent, () =>
      this.dataSource
        .getRepository(WebhookEvent)
        .createQueryBuilder('e')
        .select('e.id', 'id')
        .where('e.occurredAt < :cutoff', { cutoff })
        .andWhere((qb) => `NOT EXISTS ${qb.subQuery().select('1').from(WebhookDelivery, 'd').where('d.eventId = e.id').getQuery()}`)
        .limit(BATCH)
        .getRawMany<{ id: string }>(),
    );
    return { deliveries, events };
  }

  private async inBatches(
    entity: typeof WebhookDelivery | typeof WebhookEvent,
    next: () => Promise<Array<{ id: string }>>,
  ): Promise<number> {
    let deleted = 0;
    for (;;) {
      const ids = (await next()).map((row) => row.id);
      if (!ids.length) return deleted;
      await withTransaction(this.dataSource, (m) => m.getRepository(entity).delete({ id: In(ids) }));
      deleted += ids.length;
      if (ids.length < BATCH) return deleted;
    }
  }
}
