import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobLease } from './jobs/job-lease.entity';
import { JobLeaseService } from './jobs/job-lease.service';
import { JobScheduler } from './jobs/job-scheduler';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobLease])],
  providers: [JobLeaseService, JobScheduler],
  exports: [JobLeaseService, JobScheduler],
})
export class PlatformModule {}
