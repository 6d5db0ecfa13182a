import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '@stackgate/catalog';
import { FinanceModule } from '@stackgate/finance';
import { IdentityModule } from '@stackgate/identity';
import { CandidateActionsService } from './candidates/candidate-actions.service';
import { CandidateEvidenceService } from './candidates/candidate-evidence';
import { CandidatesController } from './candidates/candidates.controller';
import { CandidatesService } from './candidates/candidates.service';
import { DiscoveryCandidate } from './candidates/discovery-candidate.entity';
import { DiscoveryTransaction } from './candidates/discovery-transaction.entity';
import { MerchantAlias } from './candidates/merchant-alias.entity';
import { DiscoveryQueries } from './discovery-queries';
import { SpendImportMapping } from './spend/spend-mapping.entity';
import { SpendMappingsController, SpendMappingsService } from './spend/spend-mappings.service';
import { SpendTransactionsImportKind } from './spend/spend-transactions.kind';
import { USAGE_ENTITIES, USAGE_EXPORTS, USAGE_PROVIDERS } from './usage/usage.providers';

/**
 * Discovery: the tools nobody registered, found from card and invoice spend and from the identity provider's app
 * assignments and sign-ins, and the queue where IT acts on them.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([DiscoveryCandidate, DiscoveryTransaction, MerchantAlias, SpendImportMapping, ...USAGE_ENTITIES]),
    CatalogModule,
    FinanceModule,
    IdentityModule,
  ],
  controllers: [CandidatesController, SpendMappingsController],
  providers: [
    CandidatesService,
    CandidateActionsService,
    CandidateEvidenceService,
    SpendMappingsService,
    SpendTransactionsImportKind,
    DiscoveryQueries,
    ...USAGE_PROVIDERS,
  ],
  exports: [CandidatesService, CandidateActionsService, CandidateEvidenceService, SpendMappingsService, DiscoveryQueries, ...USAGE_EXPORTS],
})
export class DiscoveryModule {}
