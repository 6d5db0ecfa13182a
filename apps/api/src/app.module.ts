import { DynamicModule, Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { AuditModule } from '@stackgate/audit';
import { ChatModule, SlackInteractionsModule } from '@stackgate/chat';
import { CatalogModule } from '@stackgate/catalog';
import { DiscoveryModule } from '@stackgate/discovery';
import { CalendarFeedModule, FinanceModule } from '@stackgate/finance';
import { IdentityModule, ScimModule, TokenSourcesModule } from '@stackgate/identity';
import { IntegrationsModule } from '@stackgate/integrations';
import { NotificationsModule } from '@stackgate/notifications';
import { AppConfig, ConfigModule, DatabaseModule, PlatformModule } from '@stackgate/platform';
import { ProcurementModule } from '@stackgate/procurement';
import { ReportingModule } from '@stackgate/reporting';
import { sessionTokenFromCookie, WebModule } from '@stackgate/web';
import { WebhooksModule } from '@stackgate/webhooks';
import { MIGRATIONS } from '../../../migrations';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';

/**
 * The API modules. Every controller in them is served under /api/v1 (through RouterModule rather
 * than a global prefix, so the server-rendered web UI can own the paths outside /api).
 */
const API_MODULES = [
  AuditModule,
  IdentityModule,
  NotificationsModule,
  CatalogModule,
  IntegrationsModule,
  ProcurementModule,
  FinanceModule,
  DiscoveryModule,
  ReportingModule,
  WebhooksModule,
  ChatModule,
];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(config, MIGRATIONS),
        PlatformModule,
        ...API_MODULES,
        RouterModule.register([{ path: 'api/v1', children: API_MODULES }]),
        // SCIM 2.0 for identity providers, at /scim/v2 (outside /api/v1; its own token, its own error schema)
        ScimModule,
        WebModule,
        // The renewals calendar feed (/calendar/renewals.ics): outside /api, opened by its secret token only.
        CalendarFeedModule,
        // Acting from Slack (POST /slack/interactions): outside /api, verified by Slack's request signature only.
        SlackInteractionsModule,
        // Besides the Authorization header, pages (never /api) may carry the token in the web UI's session cookie.
        TokenSourcesModule.register([sessionTokenFromCookie]),
      ],
      controllers: [HealthController, MetricsController],
    };
  }
}
