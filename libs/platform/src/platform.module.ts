import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKey } from './idempotency/idempotency-key.entity';
import { IdempotencyKeys } from './idempotency/idempotency-keys.service';
import { JobLease } from './jobs/job-lease.entity';
import { JobLeaseService } from './jobs/job-lease.service';
import { JobScheduler } from './jobs/job-scheduler';
import { WriteRouteContextBinder } from './request-context/request-context.interceptor';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobLease, IdempotencyKey]), DiscoveryModule],
  // Every write handler runs in its request's async context (see the binder).
  providers: [JobLeaseService, JobScheduler, WriteRouteContextBinder, IdempotencyKeys],
  exports: [JobLeaseService, JobScheduler, IdempotencyKeys],
})
export class PlatformModule {}
