import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { memoryStorage } from 'multer';
import { IdentityModule } from '@stackgate/identity';
import { APP_CONFIG, AppConfig } from '@stackgate/platform';
import { CategoriesController } from './categories/categories.controller';
import { CategoriesService } from './categories/categories.service';
import { Category } from './categories/category.entity';
import { CostCenter } from './cost-centers/cost-center.entity';
import { CostCentersController } from './cost-centers/cost-centers.controller';
import { CostCentersService } from './cost-centers/cost-centers.service';
import { ImportExamples } from './imports/import-examples';
import { ImportUploads } from './imports/import-uploads';
import { ImportUpload } from './imports/import-upload.entity';
import { ImportPipeline } from './imports/import-pipeline';
import { ImportReferences } from './imports/import-references';
import { ImportRegistry } from './imports/import-registry';
import { ImportsController } from './imports/imports.controller';
import { ImportsService } from './imports/imports.service';
import { Tool, ToolCapability } from './tools/tool.entity';
import { ToolRetirementHooks } from './tools/tool-retirement';
import { CatalogChangeHooks } from './catalog-change-hooks';
import { CatalogQueries } from './catalog-queries';
import { ToolWarnings } from './tool-warnings';
import { ToolsController } from './tools/tools.controller';
import { ToolsImportKind } from './tools/tools-import.kind';
import { ToolsService } from './tools/tools.service';
import { ToolApprovalService } from './tools/tool-approval.service';
import { ToolQueriesService } from './tools/tool-queries.service';
import { ToolRegistrationService } from './tools/tool-registration.service';
import { Vendor } from './vendors/vendor.entity';
import { VendorsController } from './vendors/vendors.controller';
import { VendorsService } from './vendors/vendors.service';
import { AssessedFactsService } from './tools/assessed-facts.service';
import { CatalogView } from './saved-views/catalog-view.entity';
import { CatalogViewsController } from './saved-views/catalog-views.controller';
import { CatalogViewsService } from './saved-views/catalog-views.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([CostCenter, Category, Vendor, Tool, ToolCapability, ImportUpload, CatalogView]),
    IdentityModule, // PeopleDirectory: owners and other user references are checked through it
    // Uploads stay in memory (bounded by UPLOAD_LIMIT → 413); one file per request.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.uploadLimitBytes, files: 1, fields: 10, fieldSize: 1024 },
      }),
    }),
  ],
  controllers: [ToolsController, VendorsController, CostCentersController, CategoriesController, ImportsController, CatalogViewsController],
  providers: [
    ToolsService,
    ToolRegistrationService,
    ToolApprovalService,
    ToolQueriesService,
    VendorsService,
    CostCentersService,
    CategoriesService,
    ImportRegistry,
    ImportsService,
    ImportPipeline,
    ImportReferences,
    ImportExamples,
    ImportUploads,
    ToolRetirementHooks,
    CatalogChangeHooks,
    ToolsImportKind,
    CatalogQueries,
    ToolWarnings,
    AssessedFactsService,
    CatalogViewsService,
  ],
  exports: [
    ToolsService,
    ToolRegistrationService,
    ToolApprovalService,
    ToolQueriesService,
    VendorsService,
    CostCentersService,
    CategoriesService,
    ImportRegistry,
    ImportsService,
    ToolRetirementHooks,
    CatalogChangeHooks,
    CatalogQueries,
    ToolWarnings,
    AssessedFactsService,
    CatalogViewsService,
  ],
})
export class CatalogModule {}
