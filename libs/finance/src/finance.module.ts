import { Module } from '@nestjs/common';

/** Contracts, spend entries, budgets, FX rates and the ledger. */
@Module({ imports: [], controllers: [], providers: [], exports: [] })
export class FinanceModule {}
