import { Foundation1767000000000 } from './1767000000000-foundation';
import { Catalog1767000100000 } from './1767000100000-catalog';
import { Notifications1767000200000 } from './1767000200000-notifications';
import { Procurement1767000300000 } from './1767000300000-procurement';
import { Finance1767000400000 } from './1767000400000-finance';
import { LedgerTotals1767000500000 } from './1767000500000-ledger-totals';
import { AuditCheckpoints1767000600000 } from './1767000600000-audit-checkpoints';
import { IdempotencyKeys1767000700000 } from './1767000700000-idempotency-keys';
import { ApprovedCommitments1767000800000 } from './1767000800000-approved-commitments';
import { RequestConditions1767000900000 } from './1767000900000-request-conditions';
import { RenewalDecisions1767001000000 } from './1767001000000-renewal-decisions';
import { CatalogViews1767001100000 } from './1767001100000-catalog-views';
import { ApiTokens1767001200000 } from './1767001200000-api-tokens';
import { ImportUploads1767001300000 } from './1767001300000-import-uploads';
import { UserIdentities1767001400000 } from './1767001400000-user-identities';
import { ContractTermination1767001500000 } from './1767001500000-contract-termination';
import { Scim1767001600000 } from './1767001600000-scim';
import { AuditTokenId1767001700000 } from './1767001700000-audit-token-id';
import { Discovery1767001800000 } from './1767001800000-discovery';
import { IdpUsage1767001850000 } from './1767001850000-idp-usage';
import { Webhooks1767001900000 } from './1767001900000-webhooks';
import { CalendarTokens1767001910000 } from './1767001910000-calendar-tokens';
import { Chat1767002000000 } from './1767002000000-chat';
import { SlackInteractionReceipts1767002050000 } from './1767002050000-slack-interaction-receipts';
import { NotificationPreferences1767002100000 } from './1767002100000-notification-preferences';
import { LedgerTotalsToolGrain1767002200000 } from './1767002200000-ledger-totals-tool-grain';
import { ImportUploadPreset1767002300000 } from './1767002300000-import-upload-preset';
import { LedgerGenerations1767002400000 } from './1767002400000-ledger-generations';
import { RequestQueueIndexes1767002500000 } from './1767002500000-request-queue-indexes';
import { ReviewStageRequestCreated1767002600000 } from './1767002600000-review-stage-request-created';
import { RequestQueueCounts1767002700000 } from './1767002700000-request-queue-counts';

/**
 * Every migration, in order. Listed explicitly (no globbing) so the same list runs from the
 * compiled app, the migration script and the tests. Append new migrations at the end.
 */
export const MIGRATIONS = [
  Foundation1767000000000,
  Catalog1767000100000,
  Notifications1767000200000,
  Procurement1767000300000,
  Finance1767000400000,
  LedgerTotals1767000500000,
  AuditCheckpoints1767000600000,
  IdempotencyKeys1767000700000,
  ApprovedCommitments1767000800000,
  RequestConditions1767000900000,
  RenewalDecisions1767001000000,
  CatalogViews1767001100000,
  ApiTokens1767001200000,
  ImportUploads1767001300000,
  UserIdentities1767001400000,
  ContractTermination1767001500000,
  Scim1767001600000,
  AuditTokenId1767001700000,
  Discovery1767001800000,
  IdpUsage1767001850000,
  Webhooks1767001900000,
  CalendarTokens1767001910000,
  Chat1767002000000,
  SlackInteractionReceipts1767002050000,
  NotificationPreferences1767002100000,
  LedgerTotalsToolGrain1767002200000,
  ImportUploadPreset1767002300000,
  LedgerGenerations1767002400000,
  RequestQueueIndexes1767002500000,
  ReviewStageRequestCreated1767002600000,
  RequestQueueCounts1767002700000,
];
