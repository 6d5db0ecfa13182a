import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobLease } from './jobs/job-lease.entity';
import { JobLeaseService } from './jobs/job-lease.service';
import { JobScheduler } from './jobs/job-scheduler';
import { RequestContextInterceptor } from './request-context/request-context.interceptor';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobLease])],
  // Global: every write handler runs in its request's async context (see the interceptor).
  providers: [JobLeaseService, JobScheduler, { provide: APP_INTERCEPTOR, useClass: RequestContextInterceptor }],
  exports: [JobLeaseService, JobScheduler],
})
export class PlatformModule {}
