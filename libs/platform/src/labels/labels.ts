/*
 * The one label catalogue: reader words for every code the product stores or computes (enum values,
 * report groupings, governance findings, notification events, audit actions). Pages, printable
 * reports, e-mails and the inbox show these words; the API's JSON and the CSV's value columns keep
 * the codes (integrators rely on them).
 *
 * Each code set is keyed by the name of the enum (or code list) it labels. A unit test iterates every
 * exported enum of every lib and fails when a value has no label here.
 */

export type LabelSet = Readonly<Record<string, string>>;

export const LABELS = {
  // platform
  Role: { MARKETER: 'Marketer', CMO: 'CMO', IT: 'IT', CIO: 'CIO', FINANCE: 'Finance', ADMIN: 'Administrator' },
  // catalog
  CostCenterKind: { MARKETING: 'Marketing', IT: 'IT', OTHER: 'Other' },
  Lifecycle: { PROPOSED: 'Proposed', APPROVED: 'Approved', ACTIVE: 'Active', SUNSETTING: 'Sunsetting', RETIRED: 'Retired' },
  ItApprovalStatus: {
    NOT_REVIEWED: 'Not reviewed by IT',
    APPROVED: 'Approved by IT',
    APPROVED_WITH_CONDITIONS: 'Approved by IT with conditions',
    REJECTED: 'Rejected by IT',
  },
  DataClassification: {
    NONE: 'No personal data',
    INTERNAL: 'Internal',
    PERSONAL: 'Personal data',
    SENSITIVE_PERSONAL: 'Sensitive personal data',
  },
  // finance
  Billing: { MONTHLY: 'Monthly', QUARTERLY: 'Quarterly', ANNUAL: 'Annual', ONE_TIME: 'One-time' },
  CostType: {
    LICENSE: 'Licence',
    IMPLEMENTATION: 'Implementation',
    OPERATIONS: 'Operations',
    INFRASTRUCTURE: 'Infrastructure',
    TRAINING: 'Training',
  },
  ContractStatus: { ACTIVE: 'Active', CANCELLED: 'Cancelled' },
  LedgerBasis: { COMMITTED: 'Committed (contracts)', ACTUAL: 'Actual (spend entries)', APPROVED: 'Approved, not yet contracted' },
  LedgerSource: { CONTRACT: 'Contract', SPEND: 'Spend entry', REQUEST: 'Approved request' },
  SpendSource: { manual: 'Entered by hand', import: 'Imported' },
  CommitmentStatus: { PENDING: 'Waiting for its contract', ATTACHED: 'Contract attached' },
  RenewalDecisionKind: { RENEW: 'Renew', RENEGOTIATE: 'Renegotiate', DOWNSIZE: 'Downsize', CANCEL: 'Cancel' },
  RenewalState: { UPCOMING: 'Upcoming', DECISION_DUE: 'Decision due', MISSED: 'Missed', DECIDED: 'Decided' },
  // procurement
  ConditionState: { OPEN: 'Open', DONE: 'Done, to verify', VERIFIED: 'Verified by IT' },
  SecurityAttestation: { NONE: 'None', SOC2: 'SOC 2', ISO27001: 'ISO 27001', SOC2_AND_ISO27001: 'SOC 2 and ISO 27001' },
  RequestType: { NEW_TOOL: 'New tool', EXPANSION: 'Expansion', RENEWAL: 'Renewal' },
  RequestStatus: {
    DRAFT: 'Draft',
    IN_REVIEW: 'In review',
    CHANGES_REQUESTED: 'Changes requested',
    APPROVED: 'Approved',
    REJECTED: 'Rejected',
    WITHDRAWN: 'Withdrawn',
  },
  Stage: { MARKETING: 'Marketing', IT: 'IT', FINANCE: 'Finance' },
  Decision: {
    APPROVE: 'Approved',
    APPROVE_WITH_CONDITIONS: 'Approved with conditions',
    REJECT: 'Rejected',
    REQUEST_CHANGES: 'Changes requested',
  },
  StageStatus: {
    PENDING: 'Not started',
    OPEN: 'Open',
    APPROVED: 'Approved',
    APPROVED_WITH_CONDITIONS: 'Approved with conditions',
    REJECTED: 'Rejected',
    CHANGES_REQUESTED: 'Changes requested',
    CANCELLED: 'Cancelled',
  },
  // discovery (identity-provider usage)
  IdpSource: { OKTA: 'Okta', ENTRA: 'Microsoft Entra ID', GOOGLE: 'Google Workspace' },
  EvidenceChange: { NEW: 'New', UPDATED: 'Updated', UNCHANGED: 'Unchanged' },
  // notifications
  DeliveryStatus: { NOT_REQUIRED: 'Inbox only', PENDING: 'Waiting to be sent', SENDING: 'Sending', SENT: 'Sent', FAILED: 'Not delivered' },
  // integrations
  IntegrationMethod: {
    NATIVE: 'Native connector',
    API: 'API',
    IPAAS: 'Integration platform (iPaaS)',
    FILE: 'File transfer',
    MANUAL: 'Manual',
  },
  IntegrationFrequency: { REALTIME: 'Real time', HOURLY: 'Hourly', DAILY: 'Daily', WEEKLY: 'Weekly', AD_HOC: 'When needed' },
  IntegrationStatus: { PLANNED: 'Planned', ACTIVE: 'Active', BROKEN: 'Broken', RETIRED: 'Retired' },
  // reporting
  SpendGroupBy: {
    budget: 'Budget',
    costCenter: 'Cost center',
    category: 'Category',
    subcategory: 'Subcategory',
    tool: 'Tool',
    vendor: 'Vendor',
    costType: 'Cost type',
    month: 'Month',
    quarter: 'Quarter',
    fiscalYear: 'Fiscal year',
  },
  SpendBasis: { committed: 'Committed (contracts)', actual: 'Actual (spend entries)', approved: 'Approved, not yet contracted' },
  GovernanceReason: {
    TARGET_NOT_IT_APPROVED: 'The receiving tool is not approved by IT.',
    VENDOR_WITHOUT_DPA: 'The receiving tool’s vendor has no signed data processing agreement (DPA).',
  },
  // discovery
  ImportKind: {
    tools: 'Tools',
    contracts: 'Contracts',
    integrations: 'Integrations (data flows)',
    'spend-entries': 'Spend entries (invoices)',
    'spend-transactions': 'Card and expense transactions',
    'idp-apps': 'Identity-provider app reports',
  },
  CandidateSource: { SPEND: 'Card and expense spend', IDP: 'Identity provider' },
  CandidateStatus: { OPEN: 'Open', REGISTERED: 'Registered as a tool', LINKED: 'Linked to a tool', DISMISSED: 'Dismissed: not software' },
  CandidateAction: { REGISTER: 'Register as a tool', LINK: 'Link to a tool', DISMISS: 'Dismiss', REOPEN: 'Reopen' },
  DiscoveryBudget: { MARKETING: 'Marketing budget', IT: 'IT budget', OTHER: 'Other budgets', UNASSIGNED: 'No cost center on the line' },
  MatchKind: {
    ALIAS: 'Learned name',
    EXACT: 'Same name',
    KNOWN: 'Known billing name',
    PREFIX: 'Name starts the merchant',
    FUZZY: 'Close spelling',
  },
  NotificationEvent: {
    'assessment-needed': 'IT assessment needed',
    'changes-requested': 'Changes requested',
    'condition-assigned': 'Condition assigned to you',
    'condition-done': 'Condition done, to verify',
    'condition-due-soon': 'Condition due soon',
    'condition-overdue': 'Condition past due',
    'condition-reopened': 'Condition reopened',
    'contract-awaited': 'Contract to attach',
    'discovery-candidates-found': 'Tools nobody registered found',
    'renewal-cancel-by-minus-7': 'One week left to cancel',
    'renewal-review-start': 'Renewal review starts',
    'request-approved': 'Request approved',
    'request-rejected': 'Request rejected',
    'review-needed': 'Review needed',
    'shadow-it-detected': 'Shadow IT detected',
    'stage-decided': 'Review stage decided',
    'stage-overdue': 'Review overdue',
    'test-notice': 'Test notice',
    'webhook-disabled': 'Webhook disabled after failures',
    'digest-reviewer': 'Weekly digest: reviews waiting for you',
    'digest-budget-owner': 'Weekly digest: renewals and unused seats',
  },
  WebhookEventType: {
    'request.submitted': 'Request submitted',
    'request.stage_decided': 'Review stage decided',
    'request.approved': 'Request approved',
    'request.rejected': 'Request rejected',
    'request.withdrawn': 'Request withdrawn',
    'tool.created': 'Tool registered',
    'tool.it_approval_changed': 'IT approval changed',
    'contract.renewal_due': 'Contract renewal due',
  },
  WebhookDeliveryStatus: { PENDING: 'Waiting', SENDING: 'Sending', DELIVERED: 'Delivered', FAILED: 'Failed' },
  ChatTarget: { SLACK_CHANNEL: 'Slack channel', SLACK_DM: 'Slack direct message', TEAMS: 'Microsoft Teams' },
  ChatMessageStatus: { PENDING: 'Waiting', SENDING: 'Sending', DELIVERED: 'Delivered', FAILED: 'Failed', SKIPPED: 'Skipped' },
  ChatEvent: { 'chat.test': 'Test message', 'review-needed': 'Review needed (direct message)' },
  TokenScope: {
    'catalog:read': 'Read the catalog',
    'catalog:write': 'Change the catalog',
    'requests:read': 'Read requests',
    'requests:write': 'Write and decide requests',
    'spend:read': 'Read contracts and spend',
    'spend:write': 'Change contracts and spend',
    'reports:read': 'Read reports',
    'audit:read': 'Read the audit trail',
    admin: 'Administration',
  },
  AuditAction: {
    'api_token.created': 'API token created',
    'api_token.revoked': 'API token revoked',
    'api_token.revoked_all': 'All API tokens revoked',
    'auth.login_failed': 'Sign-in failed',
    'auth.login_succeeded': 'Signed in',
    'auth.logout': 'Signed out',
    'auth.token_attempts_throttled': 'API token attempts throttled',
    'authz.denied': 'Access refused',
    'budget.created': 'Budget set',
    'budget.deleted': 'Budget removed',
    'budget.updated': 'Budget changed',
    'category.created': 'Category added',
    'category.deleted': 'Category removed',
    'category.updated': 'Category changed',
    'commitment.approved_pending': 'Approved amount waiting for its contract',
    'commitment.contract_attached': 'Contract attached to the approved request',
    'condition.created': 'Condition added',
    'condition.done': 'Condition marked done',
    'condition.reopened': 'Condition reopened',
    'condition.verified': 'Condition verified',
    'contract.created': 'Contract added',
    'contract.deleted': 'Contract removed',
    'contract.terminated': 'Contract terminated',
    'contract.updated': 'Contract changed',
    'cost_center.created': 'Cost center added',
    'cost_center.deactivated': 'Cost center deactivated',
    'cost_center.updated': 'Cost center changed',
    'discovery_candidate.created': 'Tool nobody registered found',
    'discovery_candidate.dismissed': 'Discovery candidate dismissed',
    'discovery_candidate.linked': 'Discovery candidate linked to a tool',
    'discovery_candidate.registered': 'Discovery candidate registered as a tool',
    'discovery_candidate.reopened': 'Discovery candidate reopened',
    'fx_rate.created': 'Exchange rate added',
    'fx_rate.deleted': 'Exchange rate removed',
    'fx_rate.updated': 'Exchange rate changed',
    'idp_usage.recorded': 'Identity-provider usage recorded',
    'import.committed': 'Import applied',
    'integration.created': 'Data flow added',
    'integration.retired': 'Data flow retired',
    'integration.updated': 'Data flow changed',
    'renewal.decided': 'Renewal decided',
    'renewal.decision_changed': 'Renewal decision changed',
    'request.assessed': 'IT assessment recorded',
    'request.commented': 'Comment added',
    'request.created': 'Request drafted',
    'request.decided': 'Review stage decided',
    'request.linked_existing_tool': 'Request linked to a tool already in the catalog',
    'request.submitted': 'Request submitted',
    'request.updated': 'Request changed',
    'request.withdrawn': 'Request withdrawn',
    'scim.group_created': 'Group provisioned by the identity provider',
    'scim.group_deleted': 'Group removed by the identity provider',
    'scim.group_updated': 'Group changed by the identity provider',
    'scim.user_deleted': 'User deprovisioned by the identity provider',
    'scim.user_restored': 'User provisioned again by the identity provider',
    'scim.user_updated': 'Identity-provider attributes changed',
    'scim_token.created': 'SCIM token created',
    'scim_token.revoked': 'SCIM token revoked',
    'service_account.created': 'Service account created',
    'service_account.disabled': 'Service account disabled',
    'service_account.enabled': 'Service account enabled',
    'service_account.updated': 'Service account changed',
    'spend_entry.created': 'Spend recorded',
    'spend_entry.deleted': 'Spend entry removed',
    'spend_entry.updated': 'Spend entry changed',
    'spend_mapping.deleted': 'Spend import mapping deleted',
    'spend_mapping.saved': 'Spend import mapping saved',
    'tool.created': 'Tool registered',
    'tool.it_approval_changed': 'IT approval changed',
    'tool.it_approval_reset': 'IT approval reset for review',
    'tool.retired': 'Tool retired',
    'tool.updated': 'Tool changed',
    'user.created': 'User added',
    'user.deactivated': 'User deactivated',
    'user.identity_linked': 'Linked to the identity provider',
    'user.password_reset': 'Password reset',
    'user.reactivated': 'User reactivated',
    'user.roles_synced': 'Roles set from the identity provider groups',
    'user.updated': 'User changed',
    'vendor.created': 'Vendor registered',
    'vendor.updated': 'Vendor changed',
    'webhook.created': 'Webhook endpoint added',
    'webhook.deleted': 'Webhook endpoint removed',
    'webhook.disabled': 'Webhook endpoint disabled after failures',
    'webhook.redelivered': 'Webhook event sent again',
    'webhook.updated': 'Webhook endpoint changed',
    'contract.renewal_due': 'Renewal reminders sent',
    'calendar_token.created': 'Calendar link created',
    'calendar_token.revoked': 'Calendar link revoked',
    'chat.settings_changed': 'Chat settings changed',
    'notification_preferences.updated': 'Notification preferences changed',
  },
} as const satisfies Record<string, LabelSet>;

export type LabelKind = keyof typeof LABELS;

/** Words kept as they are (acronyms) when a code has no label and is worded from its spelling. */
const ACRONYMS = new Set(['IT', 'CMO', 'CIO', 'SSO', 'DPA', 'API', 'CSV', 'FX', 'SOC2', 'ISO27001']);

/**
 * A code without a catalogue entry, worded from its spelling so no raw code reaches a reader:
 * "TARGET_NOT_IT_APPROVED" → "Target not IT approved", "tool.it_approval_changed" → "Tool it approval
 * changed", "costCenter" → "Cost center", "renewal-review-start" → "Renewal review start".
 */
export function wordCode(code: string): string {
  const words = code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s._-]+/)
    .filter(Boolean)
    .map((word) => (ACRONYMS.has(word.toUpperCase()) && word === word.toUpperCase() ? word : word.toLowerCase()));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The label of `code` in `kind`, or — without a kind — in the first code set that has it. Unknown codes are worded. */
export function label(code: string | null | undefined, kind?: string): string {
  if (code === null || code === undefined || code === '') return '—';
  const value = String(code);
  const sets = LABELS as Record<string, LabelSet>;
  if (kind) {
    const own = sets[kind]?.[value];
    if (own !== undefined) return own;
  } else {
    for (const set of Object.values(sets)) if (Object.prototype.hasOwnProperty.call(set, value)) return set[value];
  }
  return wordCode(value);
}

/** True when `kind` labels `code` explicitly (for the completeness test). */
export function hasLabel(kind: string, code: string): boolean {
  const set = (LABELS as Record<string, LabelSet>)[kind];
  return !!set && Object.prototype.hasOwnProperty.call(set, code);
}

/**
 * The catalogue as a Handlebars helper: {{label code}} or {{label code "Kind"}}. Pages also carry
 * their own `label` fields (tabs, report rows): a bare {{label}} still reads that field.
 */
export function labelHelper(this: unknown, ...args: unknown[]): unknown {
  const params = args.slice(0, -1);
  if (!params.length) return (this as { label?: unknown } | null | undefined)?.label;
  const [code, kind] = params;
  const text = typeof code === 'string' ? code : typeof code === 'number' || typeof code === 'boolean' ? String(code) : null;
  return label(text, typeof kind === 'string' ? kind : undefined);
}
