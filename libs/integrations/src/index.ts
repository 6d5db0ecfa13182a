export * from './integrations.module';
export * from './integrations/integration.entity';
export * from './integrations/integration-rules';
export * from './integrations/integrations.service';
export * from './integrations/dto/integration.dto';
export * from './stack-map/stack-map.dto';
export * from './stack-map/stack-map.service';
export * from './integrations/integrations-import.handler';
