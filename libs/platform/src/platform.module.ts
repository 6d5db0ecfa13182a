import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKey } from './idempotency/idempotency-key.entity';
import { IdempotencyKeys } from './idempotency/idempotency-keys.service';
import { JobLease } from './jobs/job-lease.entity';
import { JobLeaseService } from './jobs/job-lease.service';
import { JobScheduler } from './jobs/job-scheduler';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobLease, IdempotencyKey])],
  providers: [JobLeaseService, JobScheduler, IdempotencyKeys],
  exports: [JobLeaseService, JobScheduler, IdempotencyKeys],
})
export class PlatformModule {}
