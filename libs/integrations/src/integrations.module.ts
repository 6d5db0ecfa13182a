import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '@stackgate/catalog';
import { IdentityModule } from '@stackgate/identity';
import { Integration } from './integrations/integration.entity';
import { IntegrationsController } from './integrations/integrations.controller';
import { IntegrationsImportKind } from './integrations/integrations-import.kind';
import { IntegrationsService } from './integrations/integrations.service';
import { IntegrationQueries } from './integrations/integration-queries';
import { StackMapController } from './stack-map/stack-map.controller';
import { StackMapService } from './stack-map/stack-map.service';

@Module({
  imports: [TypeOrmModule.forFeature([Integration]), CatalogModule, IdentityModule],
  controllers: [IntegrationsController, StackMapController],
  providers: [IntegrationsService, StackMapService, IntegrationsImportKind, IntegrationQueries],
  exports: [IntegrationsService, StackMapService, IntegrationQueries],
})
export class IntegrationsModule {}
