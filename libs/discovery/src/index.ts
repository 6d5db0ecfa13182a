export * from './discovery.module';
export * from './usage/app-matching';
export { IdpSource, IDP_PRESETS, IdpPreset } from './usage/idp-presets';
export { IdpApp } from './usage/idp-app.entity';
export { ToolUtilisation } from './usage/tool-utilisation.entity';
export { IdpUsageService, UnmatchedIdpApp, UtilisationMonth } from './usage/idp-usage.service';
export { IDP_IMPORT_ROLES } from './usage/idp-apps-import.kind';
