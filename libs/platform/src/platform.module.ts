import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKey } from './idempotency/idempotency-key.entity';
import { IdempotencyKeys } from './idempotency/idempotency-keys.service';
import { JobLease } from './jobs/job-lease.entity';
import { JobLeaseService } from './jobs/job-lease.service';
import { JobScheduler } from './jobs/job-scheduler';
import { AppLifecycle } from './metrics/lifecycle';
import { Metrics } from './metrics/metrics';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobLease, IdempotencyKey])],
  providers: [JobLeaseService, JobScheduler, IdempotencyKeys, Metrics, AppLifecycle],
  exports: [JobLeaseService, JobScheduler, IdempotencyKeys, Metrics, AppLifecycle],
})
export class PlatformModule {}
