export * from './slack-interactions.module';
export * from './slack-interactions.service';
export * from './slack-interactions.errors';
export * from './slack-interaction-receipt.entity';
export * from './slack-signature';
export * from './slack-payload';
export * from './slack-raw-body';
export { decisionActions } from './slack-blocks';
