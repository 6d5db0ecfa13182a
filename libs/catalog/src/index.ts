export * from './catalog.enums';
export * from './catalog.module';
export * from './categories/category.entity';
export * from './cost-centers/cost-center.entity';
export * from './tools/tool.entity';
export * from './vendors/vendor.entity';
