import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Integration } from './integrations/integration.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Integration])],
  controllers: [],
  providers: [],
  exports: [],
})
export class IntegrationsModule {}
