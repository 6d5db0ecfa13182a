import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BudgetsController, BudgetsService } from './budgets/budgets';
import { Budget } from './budgets/budget.entity';
import { Contract } from './contracts/contract.entity';
import { ContractsController } from './contracts/contracts.controller';
import { ContractsService } from './contracts/contracts.service';
import { ContractsImportKind } from './contracts/contracts-import.kind';
import { FxRate } from './fx/fx-rate.entity';
import { FxRatesController, FxRatesService } from './fx/fx-rates';
import { LedgerEntry } from './ledger/ledger-entry.entity';
import { LedgerService } from './ledger/ledger.service';
import { LedgerQueries } from './ledger/ledger-queries';
import { FinanceQueries } from './finance-queries';
import { LedgerCatalogSync } from './ledger/ledger-catalog-sync';
import { AnnualCostRefreshJob } from './ledger/annual-cost.job';
import { RenewalRemindersJob } from './renewals/renewal-reminders.job';
import { RenewalDecision } from './renewals/renewal-decision.entity';
import { RenewalsController } from './renewals/renewals.controller';
import { RenewalsService } from './renewals/renewals.service';
import { SpendEntriesController } from './spend/spend-entries.controller';
import { SpendEntriesService } from './spend/spend-entries.service';
import { SpendImportKind } from './spend/spend-import.kind';
import { CatalogModule } from '@stackgate/catalog';
import { CalendarToken } from './calendar/calendar-token.entity';
import { CalendarTokenController } from './calendar/calendar.controllers';
import { RenewalsCalendarService } from './calendar/renewals-calendar.service';
import { IdentityModule } from '@stackgate/identity';
import { SpendEntry } from './spend/spend-entry.entity';
import { ApprovedCommitment } from './commitments/approved-commitment.entity';
import { ApprovedCommitmentsService } from './commitments/approved-commitments.service';
import { ApprovedRequestsController } from './commitments/approved-requests.controller';

/** Contracts, spend entries, budgets, FX rates and the ledger. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Contract, SpendEntry, Budget, FxRate, LedgerEntry, RenewalDecision, ApprovedCommitment, CalendarToken]),
    CatalogModule,
    IdentityModule,
  ],
  controllers: [
    ContractsController,
    SpendEntriesController,
    BudgetsController,
    FxRatesController,
    RenewalsController,
    ApprovedRequestsController,
    CalendarTokenController,
  ],
  providers: [
    LedgerService,
    ContractsService,
    SpendEntriesService,
    BudgetsService,
    FxRatesService,
    RenewalRemindersJob,
    AnnualCostRefreshJob,
    SpendImportKind,
    ContractsImportKind,
    LedgerCatalogSync,
    LedgerQueries,
    FinanceQueries,
    RenewalsService,
    ApprovedCommitmentsService,
    RenewalsCalendarService,
  ],
  exports: [
    RenewalsCalendarService,
    LedgerService,
    ContractsService,
    SpendEntriesService,
    BudgetsService,
    FxRatesService,
    LedgerQueries,
    FinanceQueries,
    RenewalsService,
    ApprovedCommitmentsService,
  ],
})
export class FinanceModule {}
