/*
 * What each API route asks of an API token (personal or service-account), beside the role gate
 * (@Allow): a token is let through only when its principal's current roles pass @Allow AND its
 * scopes cover the route's rule below. One table for the whole API, keyed like the permission
 * matrix ("METHOD /api/v1/path"); a route missing here is refused to every token (deny by
 * default), and the security suite checks that every registered route has a row.
 */

export enum TokenScope {
  CATALOG_READ = 'catalog:read',
  CATALOG_WRITE = 'catalog:write',
  REQUESTS_READ = 'requests:read',
  REQUESTS_WRITE = 'requests:write',
  SPEND_READ = 'spend:read',
  SPEND_WRITE = 'spend:write',
  REPORTS_READ = 'reports:read',
  AUDIT_READ = 'audit:read',
  ADMIN = 'admin',
}
export const ALL_SCOPES: readonly TokenScope[] = Object.freeze(Object.values(TokenScope));

/** What each scope lets a token do (OpenAPI and the web form show these words). */
export const SCOPE_DESCRIPTIONS: Record<TokenScope, string> = {
  [TokenScope.CATALOG_READ]: 'read tools, vendors, integrations, categories, cost centers, the stack map, import templates',
  [TokenScope.CATALOG_WRITE]: 'register and edit tools, vendors and integrations; catalog imports',
  [TokenScope.REQUESTS_READ]: 'read tool requests, their conditions and the inbox',
  [TokenScope.REQUESTS_WRITE]:
    'create, edit, submit, comment on, assess and decide tool requests; move conditions; mark notifications read and set notification preferences',
  [TokenScope.SPEND_READ]: 'read contracts, spend entries, budgets, FX rates, approved requests, renewals',
  [TokenScope.SPEND_WRITE]: 'write contracts, spend entries, budgets, FX rates, renewal decisions; finance imports',
  [TokenScope.REPORTS_READ]: 'spend, budget-vs-actual, renewals, governance and turnaround reports',
  [TokenScope.AUDIT_READ]: 'read the audit log',
  [TokenScope.ADMIN]: 'users, categories and cost centers, audit-trail verification',
};

/** Any valid token may call the route (who am I). */
export const ANY_SCOPE = 'ANY_SCOPE' as const;
/** Never with an API token: signing out and minting or managing tokens need a person's session. */
export const NO_TOKENS = 'NO_TOKENS' as const;
/** A scope, every scope of a list (all needed), or one of the two markers. */
export type ScopeRule = TokenScope | readonly TokenScope[] | typeof ANY_SCOPE | typeof NO_TOKENS;

const { CATALOG_READ, CATALOG_WRITE, REQUESTS_READ, REQUESTS_WRITE, SPEND_READ, SPEND_WRITE, REPORTS_READ, AUDIT_READ, ADMIN } = TokenScope;

const resource = (name: string, read: TokenScope, write: TokenScope, methods: readonly string[]): Record<string, ScopeRule> => {
  const rules: Record<string, ScopeRule> = { [`GET /api/v1/${name}`]: read, [`GET /api/v1/${name}/:id`]: read };
  for (const method of methods) rules[method === 'POST' ? `POST /api/v1/${name}` : `${method} /api/v1/${name}/:id`] = write;
  return rules;
};

export const ROUTE_SCOPES: Readonly<Record<string, ScopeRule>> = Object.freeze({
  'POST /api/v1/auth/logout': NO_TOKENS,
  'GET /api/v1/auth/me': ANY_SCOPE,

  ...resource('users', ADMIN, ADMIN, ['POST', 'PATCH']),
  'POST /api/v1/users/:id/reset-password': ADMIN,
  ...resource('cost-centers', CATALOG_READ, ADMIN, ['POST', 'PATCH']),
  ...resource('categories', CATALOG_READ, ADMIN, ['POST', 'PATCH', 'DELETE']),

  ...resource('vendors', CATALOG_READ, CATALOG_WRITE, ['POST', 'PATCH']),
  ...resource('tools', CATALOG_READ, CATALOG_WRITE, ['POST', 'PATCH']),
  'GET /api/v1/tools/export': CATALOG_READ,
  'GET /api/v1/tools/:id/history': CATALOG_READ,
  'POST /api/v1/tools/:id/retire': CATALOG_WRITE,
  'POST /api/v1/tools/:id/it-approval': CATALOG_WRITE,
  ...resource('integrations', CATALOG_READ, CATALOG_WRITE, ['POST', 'PATCH']),
  'GET /api/v1/integrations/export': CATALOG_READ,
  'POST /api/v1/integrations/:id/retire': CATALOG_WRITE,
  'GET /api/v1/stack-map': CATALOG_READ,
  // the kind decides (catalog or finance records), so an import needs both write scopes
  'POST /api/v1/imports': [CATALOG_WRITE, SPEND_WRITE],
  'GET /api/v1/imports/templates/:kind': CATALOG_READ,
  // reads the uploaded file back with its errors; writes nothing
  'POST /api/v1/imports/error-rows': CATALOG_READ,
  ...resource('catalog-views', CATALOG_READ, CATALOG_WRITE, ['POST', 'PATCH', 'DELETE']),

  ...resource('requests', REQUESTS_READ, REQUESTS_WRITE, ['POST', 'PATCH']),
  'GET /api/v1/requests/turnaround': REPORTS_READ,
  'POST /api/v1/requests/:id/submit': REQUESTS_WRITE,
  'POST /api/v1/requests/:id/withdraw': REQUESTS_WRITE,
  'POST /api/v1/requests/:id/comments': REQUESTS_WRITE,
  'POST /api/v1/requests/:id/assessment': REQUESTS_WRITE,
  'POST /api/v1/requests/:id/decisions': REQUESTS_WRITE,
  'GET /api/v1/conditions': REQUESTS_READ,
  'POST /api/v1/conditions/:id/done': REQUESTS_WRITE,
  'POST /api/v1/conditions/:id/verify': REQUESTS_WRITE,
  'POST /api/v1/conditions/:id/reopen': REQUESTS_WRITE,

  ...resource('contracts', SPEND_READ, SPEND_WRITE, ['POST', 'PATCH', 'DELETE']),
  'POST /api/v1/contracts/:id/terminate': SPEND_WRITE,
  ...resource('spend-entries', SPEND_READ, SPEND_WRITE, ['POST', 'PATCH', 'DELETE']),
  ...resource('budgets', SPEND_READ, SPEND_WRITE, ['POST', 'PATCH', 'DELETE']),
  ...resource('fx-rates', SPEND_READ, SPEND_WRITE, ['POST', 'PATCH', 'DELETE']),
  'GET /api/v1/approved-requests': SPEND_READ,
  'GET /api/v1/approved-requests/:id': SPEND_READ,
  'GET /api/v1/renewals': SPEND_READ,
  'GET /api/v1/renewals/:id': SPEND_READ,
  'PUT /api/v1/renewals/:id/decision': SPEND_WRITE,

  // the discovery queue: read like the catalog; register/link move spend, so they need both write scopes
  'GET /api/v1/discovery/candidates': CATALOG_READ,
  'GET /api/v1/discovery/candidates/:id': CATALOG_READ,
  'POST /api/v1/discovery/candidates/:id/register': [CATALOG_WRITE, SPEND_WRITE],
  'POST /api/v1/discovery/candidates/:id/link': [CATALOG_WRITE, SPEND_WRITE],
  'POST /api/v1/discovery/candidates/:id/dismiss': CATALOG_WRITE,
  'POST /api/v1/discovery/candidates/:id/reopen': [CATALOG_WRITE, SPEND_WRITE],
  'GET /api/v1/discovery/spend-mappings': SPEND_READ,
  'PUT /api/v1/discovery/spend-mappings/:name': SPEND_WRITE,
  'DELETE /api/v1/discovery/spend-mappings/:name': SPEND_WRITE,

  'GET /api/v1/reports/spend': REPORTS_READ,
  'GET /api/v1/reports/budget-vs-actual': REPORTS_READ,
  'GET /api/v1/reports/renewals': REPORTS_READ,
  'GET /api/v1/reports/governance': REPORTS_READ,
  'GET /api/v1/audit-events': AUDIT_READ,
  'GET /api/v1/audit-events/verify': ADMIN,

  'GET /api/v1/notifications': REQUESTS_READ,
  'POST /api/v1/notifications/read-all': REQUESTS_WRITE,
  'POST /api/v1/notifications/:id/read': REQUESTS_WRITE,
  'GET /api/v1/me/notification-preferences': REQUESTS_READ,
  'PUT /api/v1/me/notification-preferences': REQUESTS_WRITE,

  // webhooks are administration; the calendar link is a person's own secret, never minted by a token
  ...resource('webhooks', ADMIN, ADMIN, ['POST', 'PATCH', 'DELETE']),
  'GET /api/v1/webhooks/:id/deliveries': ADMIN,
  'POST /api/v1/webhooks/:id/deliveries/:deliveryId/redeliver': ADMIN,
  // Slack and Teams settings are administration too
  'GET /api/v1/chat/settings': ADMIN,
  'PUT /api/v1/chat/settings': ADMIN,
  'GET /api/v1/chat/status': ADMIN,
  'POST /api/v1/chat/test': ADMIN,
  'POST /api/v1/me/calendar-token': NO_TOKENS,
  'DELETE /api/v1/me/calendar-token': NO_TOKENS,

  // tokens and service accounts are managed by people only: a leaked token cannot mint more
  'GET /api/v1/api-tokens': NO_TOKENS,
  'POST /api/v1/api-tokens': NO_TOKENS,
  'DELETE /api/v1/api-tokens/:id': NO_TOKENS,
  'GET /api/v1/service-accounts': NO_TOKENS,
  'GET /api/v1/service-accounts/:id': NO_TOKENS,
  'POST /api/v1/service-accounts': NO_TOKENS,
  'PATCH /api/v1/service-accounts/:id': NO_TOKENS,
  'GET /api/v1/service-accounts/:id/tokens': NO_TOKENS,
  'POST /api/v1/service-accounts/:id/tokens': NO_TOKENS,
  'DELETE /api/v1/service-accounts/:id/tokens/:tokenId': NO_TOKENS,
  // SCIM tokens are minted by an administrator's session only (the SCIM endpoints take SCIM tokens, nothing else)
  'GET /api/v1/scim-tokens': NO_TOKENS,
  'POST /api/v1/scim-tokens': NO_TOKENS,
  'DELETE /api/v1/scim-tokens/:id': NO_TOKENS,
});

/** The scopes a rule needs that `scopes` lacks ([] = allowed); null when the route is closed to tokens. */
export function missingScopes(rule: ScopeRule | undefined, scopes: readonly string[]): TokenScope[] | null {
  if (rule === undefined || rule === NO_TOKENS) return null;
  if (rule === ANY_SCOPE) return [];
  const needed: readonly TokenScope[] = typeof rule === 'string' ? [rule] : rule;
  return needed.filter((scope) => !scopes.includes(scope));
}
