import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@stackgate/audit';
import { CatalogModule } from '@stackgate/catalog';
import { IntegrationsModule } from '@stackgate/integrations';
import { NotificationsModule } from '@stackgate/notifications';
import { ProcurementModule } from '@stackgate/procurement';
import { FinanceModule } from '@stackgate/finance';
import { ReportingModule } from '@stackgate/reporting';
import { IdentityModule } from '@stackgate/identity';
import { AppConfig, ConfigModule, DatabaseModule, PlatformModule } from '@stackgate/platform';
import { MIGRATIONS } from '../../../migrations';
import { HealthController } from './health/health.controller';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(config, MIGRATIONS),
        PlatformModule,
        AuditModule,
        IdentityModule,
        NotificationsModule,
        CatalogModule,
        IntegrationsModule,
        ProcurementModule,
        FinanceModule,
        ReportingModule,
      ],
      controllers: [HealthController],
    };
  }
}
