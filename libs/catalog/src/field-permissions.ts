import { AuditService } from '@stackgate/audit';
import { AuthUser, FieldPermissions, FieldRule, refusedFields, Role, rolesPhrase } from '@stackgate/platform';
import { CatalogError, CatalogErrorCode } from './catalog.errors';

/*
 * The catalog's field-level permission table (SPEC §1): who may set which fields of a record they
 * may otherwise write. Every write path (PATCH/POST, web forms, spreadsheet imports) checks these
 * rules, so a field is never settable by a role through one door and refused through another.
 */

/** A tool's technical fields (SSO, hosting, data classification) are IT's to set. */
export const TECHNICAL_FIELDS = ['ssoEnabled', 'hostingRegion', 'dataClassification'] as const;
export const TECHNICAL_ROLES: readonly Role[] = [Role.IT, Role.CIO, Role.ADMIN];

/** A vendor's security attestations (SOC 2, ISO 27001, DPA) are IT's word, not marketing's. */
export const ATTESTATION_FIELDS = ['soc2', 'iso27001', 'dpaSigned'] as const;
export const ATTESTATION_ROLES: readonly Role[] = [Role.IT, Role.CIO, Role.ADMIN];

export const TOOL_TECHNICAL_RULE: FieldRule<CatalogErrorCode> = {
  label: 'technical fields',
  fields: TECHNICAL_FIELDS,
  roles: TECHNICAL_ROLES,
  code: CatalogErrorCode.TECHNICAL_FIELDS_FORBIDDEN,
};
export const VENDOR_ATTESTATION_RULE: FieldRule<CatalogErrorCode> = {
  label: 'security attestations',
  fields: ATTESTATION_FIELDS,
  roles: ATTESTATION_ROLES,
  code: CatalogErrorCode.ATTESTATION_FIELDS_FORBIDDEN,
};

export const CATALOG_FIELD_PERMISSIONS = {
  Tool: [TOOL_TECHNICAL_RULE],
  Vendor: [VENDOR_ATTESTATION_RULE],
} as const satisfies Record<string, FieldPermissions<CatalogErrorCode>>;

export type FieldRestrictedEntity = keyof typeof CATALOG_FIELD_PERMISSIONS;

/** "only IT, CIO or ADMIN may change ssoEnabled": the row error of an import that breaks a rule. */
export const fieldRuleMessage = (rule: FieldRule, field: string, verb = 'change') => `only ${rolesPhrase(rule.roles)} may ${verb} ${field}`;

/**
 * Refuses (403 with the rule's code, audited as 'authz.denied' like the route guard does) a body
 * that names a field the actor's roles may not set; nothing is written. `entityId` is null on create.
 */
export async function assertFieldsAllowed(
  audit: AuditService,
  actor: AuthUser,
  entityType: FieldRestrictedEntity,
  entityId: string | null,
  input: object,
): Promise<void> {
  const refused = refusedFields(CATALOG_FIELD_PERMISSIONS[entityType], actor.roles, input as Record<string, unknown>);
  if (!refused.length) return;
  const fields = refused.flatMap((r) => r.fields);
  const first = refused[0].rule;
  await audit.record(undefined, {
    action: 'authz.denied',
    entityType,
    entityId,
    metadata: { reason: first.label, fields, roles: actor.roles, requiredRoles: [...first.roles] },
  });
  throw new CatalogError(first.code, `Only ${rolesPhrase(first.roles)} may set ${fields.join(', ')}`);
}
