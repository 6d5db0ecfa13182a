import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditCheckpoint } from './audit-checkpoint.entity';
import { AuditEvent } from './audit-event.entity';
import { AuditListeners } from './audit-listeners';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent, AuditCheckpoint])],
  controllers: [AuditController],
  providers: [AuditService, AuditListeners],
  exports: [AuditService, AuditListeners],
})
export class AuditModule {}
