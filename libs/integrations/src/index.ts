export * from './integrations.module';
export * from './integrations/integration.entity';
