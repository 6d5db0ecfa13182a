import { IdpApp } from './idp-app.entity';
import { IdpAppsImportKind } from './idp-apps-import.kind';
import { IdpUsageService } from './idp-usage.service';
import { ToolUtilisation } from './tool-utilisation.entity';
import { UsageEvaluator } from './usage-evaluation';

/** Identity-provider usage (the idp-apps import kind, utilisation history): what DiscoveryModule registers. */
export const USAGE_ENTITIES = [IdpApp, ToolUtilisation];
export const USAGE_PROVIDERS = [UsageEvaluator, IdpUsageService, IdpAppsImportKind];
export const USAGE_EXPORTS = [IdpUsageService];
