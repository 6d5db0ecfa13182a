import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@stackgate/audit';
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
      ],
      controllers: [HealthController],
    };
  }
}
