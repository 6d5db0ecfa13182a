import { Role } from '@stackgate/platform';

/*
 * SPEC §1 permission matrix, written out per route (derived from the spec table and §6/§8, not
 * from the controllers). 'PUBLIC' = no token needed; 'ANY' = every signed-in user. Record-level
 * rules ("own" requests, technical tool fields, import kinds, separation of duties) are enforced
 * inside the services and covered by the OWASP suite; this table is the route-level gate.
 */
export type Access = 'PUBLIC' | 'ANY' | readonly Role[];

const { MARKETER, CMO, IT, CIO, FINANCE, ADMIN } = Role;

/** read catalog, integrations, vendors, categories: everyone. */
const EVERYONE = 'ANY' as const;
/** register an existing tool / edit business fields; vendors and integrations likewise. */
const CATALOG_WRITERS = [MARKETER, CMO, IT, CIO, ADMIN] as const;
/** spend, budget, renewal and governance reports; audit log; finance records are read by the same. */
const REPORT_READERS = [CMO, CIO, FINANCE, ADMIN] as const;
/** create / edit / submit / withdraw a request (own). */
const REQUESTERS = [MARKETER, CMO] as const;
const ONLY_FINANCE = [FINANCE] as const;
const ONLY_ADMIN = [ADMIN] as const;

export const PERMISSION_MATRIX: Record<string, Access> = {
  // §6 authentication
  'POST /api/v1/auth/login': 'PUBLIC',
  'GET /api/v1/auth/oidc/login': 'PUBLIC',
  'POST /api/v1/auth/logout': EVERYONE,
  'GET /api/v1/auth/me': EVERYONE,

  // users and roles: ADMIN (the users list exposes everyone's roles, so reads are admin-only too)
  'GET /api/v1/users': ONLY_ADMIN,
  'GET /api/v1/users/:id': ONLY_ADMIN,
  'POST /api/v1/users': ONLY_ADMIN,
  'PATCH /api/v1/users/:id': ONLY_ADMIN,
  'POST /api/v1/users/:id/reset-password': ONLY_ADMIN,

  // cost centers and categories: read by all, written by ADMIN
  'GET /api/v1/cost-centers': EVERYONE,
  'GET /api/v1/cost-centers/:id': EVERYONE,
  'POST /api/v1/cost-centers': ONLY_ADMIN,
  'PATCH /api/v1/cost-centers/:id': ONLY_ADMIN,
  'GET /api/v1/categories': EVERYONE,
  'GET /api/v1/categories/:id': EVERYONE,
  'POST /api/v1/categories': ONLY_ADMIN,
  'PATCH /api/v1/categories/:id': ONLY_ADMIN,
  'DELETE /api/v1/categories/:id': ONLY_ADMIN,

  // vendors (§8: written like tools)
  'GET /api/v1/vendors': EVERYONE,
  'GET /api/v1/vendors/:id': EVERYONE,
  'POST /api/v1/vendors': CATALOG_WRITERS,
  'PATCH /api/v1/vendors/:id': CATALOG_WRITERS,

  // tools
  'GET /api/v1/tools': EVERYONE,
  'GET /api/v1/tools/export': EVERYONE,
  // saved views of the catalog list: everyone keeps their own (another user's view is 404, see catalog-views.e2e-spec)
  'GET /api/v1/catalog-views': EVERYONE,
  'GET /api/v1/catalog-views/:id': EVERYONE,
  'POST /api/v1/catalog-views': EVERYONE,
  'PATCH /api/v1/catalog-views/:id': EVERYONE,
  'DELETE /api/v1/catalog-views/:id': EVERYONE,
  'GET /api/v1/tools/:id': EVERYONE,
  'GET /api/v1/tools/:id/history': EVERYONE,
  'POST /api/v1/tools': CATALOG_WRITERS,
  'PATCH /api/v1/tools/:id': CATALOG_WRITERS,
  'POST /api/v1/tools/:id/retire': CATALOG_WRITERS,
  'POST /api/v1/tools/:id/it-approval': [CIO],

  // integrations; the stack map is a view of catalog + integrations, which everyone reads
  'GET /api/v1/integrations': EVERYONE,
  'GET /api/v1/integrations/export': EVERYONE,
  'GET /api/v1/integrations/:id': EVERYONE,
  'POST /api/v1/integrations': CATALOG_WRITERS,
  'PATCH /api/v1/integrations/:id': CATALOG_WRITERS,
  'POST /api/v1/integrations/:id/retire': CATALOG_WRITERS,
  'GET /api/v1/stack-map': EVERYONE,

  // imports: the route is open to signed-in users; the kind decides (tools/integrations: catalog
  // writers, contracts/spend entries: FINANCE), checked in the service
  'POST /api/v1/imports': EVERYONE,
  'POST /api/v1/imports/error-rows': EVERYONE,
  'GET /api/v1/imports/templates/:kind': EVERYONE,

  // requests
  'GET /api/v1/requests': EVERYONE,
  'GET /api/v1/requests/:id': EVERYONE,
  'GET /api/v1/requests/turnaround': REPORT_READERS,
  'POST /api/v1/requests': REQUESTERS,
  'PATCH /api/v1/requests/:id': REQUESTERS,
  'POST /api/v1/requests/:id/submit': REQUESTERS,
  'POST /api/v1/requests/:id/withdraw': REQUESTERS,
  'POST /api/v1/requests/:id/comments': [MARKETER, CMO, IT, CIO, FINANCE],
  'POST /api/v1/requests/:id/assessment': [IT, CIO],
  'POST /api/v1/requests/:id/decisions': [CMO, CIO, FINANCE],
  // conditions of approvals: who may move which one (owner, IT, CIO) is checked in the service
  'GET /api/v1/conditions': EVERYONE,
  'POST /api/v1/conditions/:id/done': EVERYONE,
  'POST /api/v1/conditions/:id/verify': EVERYONE,
  'POST /api/v1/conditions/:id/reopen': EVERYONE,

  // finance records: written by FINANCE, read by the report readers
  ...financeResource('contracts'),
  'POST /api/v1/contracts/:id/terminate': ONLY_FINANCE,
  ...financeResource('spend-entries'),
  ...financeResource('budgets'),
  ...financeResource('fx-rates'),
  // approved requests awaiting a contract (attached with POST /contracts and requestId)
  'GET /api/v1/approved-requests': REPORT_READERS,
  'GET /api/v1/approved-requests/:id': REPORT_READERS,

  // the renewal workbench: read by the report readers; a decision by FINANCE or the CMO/CIO owning the tool's budget (checked in the service)
  'GET /api/v1/renewals': REPORT_READERS,
  'GET /api/v1/renewals/:id': REPORT_READERS,
  'PUT /api/v1/renewals/:id/decision': [CMO, CIO, FINANCE],

  // discovery queue (issue 25): read by IT, CIO, CMO, FINANCE; acted on by IT and the CIO
  'GET /api/v1/discovery/candidates': [IT, CIO, CMO, FINANCE],
  'GET /api/v1/discovery/candidates/:id': [IT, CIO, CMO, FINANCE],
  'POST /api/v1/discovery/candidates/:id/register': [IT, CIO],
  'POST /api/v1/discovery/candidates/:id/link': [IT, CIO],
  'POST /api/v1/discovery/candidates/:id/dismiss': [IT, CIO],
  'POST /api/v1/discovery/candidates/:id/reopen': [IT, CIO],
  // saved mappings of spend exports: the spend-transactions importers
  'GET /api/v1/discovery/spend-mappings': [FINANCE, IT, CIO],
  'PUT /api/v1/discovery/spend-mappings/:name': [FINANCE, IT, CIO],
  'DELETE /api/v1/discovery/spend-mappings/:name': [FINANCE, IT, CIO],

  // reports and audit log
  'GET /api/v1/reports/spend': REPORT_READERS,
  'GET /api/v1/reports/budget-vs-actual': REPORT_READERS,
  'GET /api/v1/reports/renewals': REPORT_READERS,
  'GET /api/v1/reports/governance': REPORT_READERS,
  'GET /api/v1/audit-events': REPORT_READERS,
  'GET /api/v1/audit-events/verify': ONLY_ADMIN,

  // in-app inbox: every user, own notifications only
  'GET /api/v1/notifications': EVERYONE,
  'POST /api/v1/notifications/read-all': EVERYONE,
  'POST /api/v1/notifications/:id/read': EVERYONE,
  'GET /api/v1/me/notification-preferences': EVERYONE,
  'PUT /api/v1/me/notification-preferences': EVERYONE,
  // outgoing webhooks: administrators; the renewals calendar link: every user their own
  'GET /api/v1/webhooks': ONLY_ADMIN,
  'GET /api/v1/webhooks/:id': ONLY_ADMIN,
  'POST /api/v1/webhooks': ONLY_ADMIN,
  'PATCH /api/v1/webhooks/:id': ONLY_ADMIN,
  'DELETE /api/v1/webhooks/:id': ONLY_ADMIN,
  'GET /api/v1/webhooks/:id/deliveries': ONLY_ADMIN,
  'POST /api/v1/webhooks/:id/deliveries/:deliveryId/redeliver': ONLY_ADMIN,
  // Slack and Teams: administrators
  'GET /api/v1/chat/settings': ONLY_ADMIN,
  'PUT /api/v1/chat/settings': ONLY_ADMIN,
  'GET /api/v1/chat/status': ONLY_ADMIN,
  'POST /api/v1/chat/test': ONLY_ADMIN,
  'POST /api/v1/me/calendar-token': EVERYONE,
  'DELETE /api/v1/me/calendar-token': EVERYONE,
  // API tokens: each user their own personal tokens (ADMIN may revoke anyone's, checked in the service);
  // service accounts and their tokens: ADMIN
  'GET /api/v1/api-tokens': EVERYONE,
  'POST /api/v1/api-tokens': EVERYONE,
  'DELETE /api/v1/api-tokens/:id': EVERYONE,
  'GET /api/v1/service-accounts': ONLY_ADMIN,
  'GET /api/v1/service-accounts/:id': ONLY_ADMIN,
  'POST /api/v1/service-accounts': ONLY_ADMIN,
  'PATCH /api/v1/service-accounts/:id': ONLY_ADMIN,
  'GET /api/v1/service-accounts/:id/tokens': ONLY_ADMIN,
  'POST /api/v1/service-accounts/:id/tokens': ONLY_ADMIN,
  'DELETE /api/v1/service-accounts/:id/tokens/:tokenId': ONLY_ADMIN,
  // SCIM tokens for identity providers: ADMIN (the /scim/v2 endpoints themselves take a SCIM token only)
  'GET /api/v1/scim-tokens': ONLY_ADMIN,
  'POST /api/v1/scim-tokens': ONLY_ADMIN,
  'DELETE /api/v1/scim-tokens/:id': ONLY_ADMIN,
};

/*
 * The scope each route asks of an API token, beside the roles above, is the product's own table
 * (the guard reads it): `ROUTE_SCOPES` in libs/identity/src/api-tokens/token-scopes.ts. A token passes
 * when its principal's current roles pass this matrix AND its scopes cover that row; a route without a
 * row is refused to tokens. test/e2e/token-scope-matrix.e2e-spec.ts walks every route against it.
 */
export { ROUTE_SCOPES as TOKEN_SCOPE_MATRIX } from '@stackgate/identity';

function financeResource(name: string): Record<string, Access> {
  return {
    [`GET /api/v1/${name}`]: REPORT_READERS,
    [`GET /api/v1/${name}/:id`]: REPORT_READERS,
    [`POST /api/v1/${name}`]: ONLY_FINANCE,
    [`PATCH /api/v1/${name}/:id`]: ONLY_FINANCE,
    [`DELETE /api/v1/${name}/:id`]: ONLY_FINANCE,
  };
}

export const ALL = Object.values(Role);
export const allowedRoles = (a: Access): Role[] => (a === 'PUBLIC' || a === 'ANY' ? ALL : [...a]);

/*
 * Field-level rules (SPEC §1 "edit technical fields"; issue 21 item 3: a vendor's security
 * attestations are IT's word): (route, field) → the roles that may set the field. A role the route
 * admits but the field does not is refused with 403 and nothing changes; the route-level gate above
 * still applies to everyone else. Walked for every role by test/security/rules-hardening.e2e-spec.ts.
 */
const FIELD_SETTERS = [IT, CIO, ADMIN] as const;
const TOOL_TECHNICAL_FIELDS = { ssoEnabled: FIELD_SETTERS, hostingRegion: FIELD_SETTERS, dataClassification: FIELD_SETTERS };
const VENDOR_ATTESTATIONS = { soc2: FIELD_SETTERS, iso27001: FIELD_SETTERS, dpaSigned: FIELD_SETTERS };

export const FIELD_PERMISSION_MATRIX: Record<string, Record<string, readonly Role[]>> = {
  'POST /api/v1/tools': TOOL_TECHNICAL_FIELDS,
  'PATCH /api/v1/tools/:id': TOOL_TECHNICAL_FIELDS,
  'POST /api/v1/vendors': VENDOR_ATTESTATIONS,
  'PATCH /api/v1/vendors/:id': VENDOR_ATTESTATIONS,
};
