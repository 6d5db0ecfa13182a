import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Category } from './categories/category.entity';
import { CostCenter } from './cost-centers/cost-center.entity';
import { Tool, ToolCapability } from './tools/tool.entity';
import { Vendor } from './vendors/vendor.entity';

@Module({
  imports: [TypeOrmModule.forFeature([CostCenter, Category, Vendor, Tool, ToolCapability])],
  controllers: [],
  providers: [],
  exports: [],
})
export class CatalogModule {}
