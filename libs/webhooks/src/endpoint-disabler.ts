import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { PeopleDirectory } from '@stackgate/identity';
import { NotificationsService } from '@stackgate/notifications';
import { APP_CONFIG, AppConfig, Role, withTransaction } from '@stackgate/platform';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/**
 * Counts failed attempts in a row per endpoint; at WEBHOOKS_DISABLE_AFTER_FAILURES the endpoint is
 * disabled (its deliveries wait, nothing is dropped), audited, and every active administrator is told
 * in the same transaction (inbox, and e-mail through the outbox).
 */
@Injectable()
export class EndpointDisabler {
  private readonly logger = new Logger('WebhookDelivery');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly people: PeopleDirectory,
  ) {}

  async succeeded(endpointId: string): Promise<void> {
    await withTransaction(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(WebhookEndpoint)
        .set({ consecutiveFailures: 0 })
        .where('id = :id AND consecutiveFailures > 0', { id: endpointId })
        .execute(),
    );
  }

  async failed(endpointId: string, lastError: string): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      await manager
        .createQueryBuilder()
        .update(WebhookEndpoint)
        .set({ consecutiveFailures: () => 'consecutiveFailures + 1' })
        .where('id = :id', { id: endpointId })
        .execute();
      const endpoint = await manager.getRepository(WebhookEndpoint).findOneBy({ id: endpointId });
      if (!endpoint?.active || endpoint.consecutiveFailures < this.config.webhooksDisableAfterFailures) return;
      const now = new Date();
      const reason = `${endpoint.consecutiveFailures} failed deliveries in a row; last: ${lastError}`.slice(0, 300);
      const res = await manager
        .createQueryBuilder()
        .update(WebhookEndpoint)
        .set({ active: false, disabledAt: now, disabledReason: reason, updatedAt: now, version: () => 'version + 1' })
        .where('id = :id AND active = :yes', { id: endpointId, yes: true })
        .execute();
      if (res.affected !== 1) return;
      await this.audit.record(manager, {
        action: 'webhook.disabled',
        entityType: 'WebhookEndpoint',
        entityId: endpointId,
        before: { active: true },
        after: { active: false, disabledReason: reason },
      });
      await this.notifications.enqueue(manager, {
        event: 'webhook-disabled',
        recipients: await this.people.activeWithRoles([Role.ADMIN], manager),
        entityType: 'WebhookEndpoint',
        entityId: endpointId,
        link: `/admin/webhooks/${endpointId}`,
        data: { url: endpoint.url, description: endpoint.description, failures: endpoint.consecutiveFailures, lastError },
      });
      this.logger.warn({ msg: 'webhook endpoint disabled', endpointId, failures: endpoint.consecutiveFailures });
    });
  }
}
