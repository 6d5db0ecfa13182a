import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '@stackgate/catalog';
import { FinanceModule } from '@stackgate/finance';
import { USAGE_ENTITIES, USAGE_EXPORTS, USAGE_PROVIDERS } from './usage/usage.providers';

/**
 * Discovery: the tools nobody registered, found from card and invoice spend and from the identity provider's app
 * assignments and sign-ins, and the queue where IT acts on them.
 */
@Module({
  imports: [TypeOrmModule.forFeature([...USAGE_ENTITIES]), CatalogModule, FinanceModule],
  providers: [...USAGE_PROVIDERS],
  exports: [...USAGE_EXPORTS],
})
export class DiscoveryModule {}
