import { Role } from './roles';

/*
 * Field-level permissions: the route decides who may write a record at all (@Allow); a field rule
 * reserves some of its fields to fewer roles (a tool's technical fields, a vendor's security
 * attestations are IT's word). One table per record type, checked by the service on every path
 * that writes those fields (API, web forms, imports), so no path can be more permissive than another.
 */
export interface FieldRule<C extends string = string> {
  /** What the fields are, in the users' words: "technical fields", "security attestations". */
  label: string;
  fields: readonly string[];
  /** Who may set them; everyone else who may write the record is refused (403). */
  roles: readonly Role[];
  /** The error code of a refusal (one of the owning lib's codes, answered with 403). */
  code: C;
}

export type FieldPermissions<C extends string = string> = readonly FieldRule<C>[];

export interface FieldRefusal<C extends string = string> {
  rule: FieldRule<C>;
  /** The fields of the rule the input names. */
  fields: string[];
}

/** True when one of `roles` may set the fields of `rule`. */
export const mayUseFieldRule = (rule: FieldRule, roles: readonly string[]) => rule.roles.some((r) => roles.includes(r));

/** The fields of `rule` present in `input` (present = not undefined, even when unchanged or falsy). */
export const ruleFieldsIn = (rule: FieldRule, input: Record<string, unknown>): string[] =>
  rule.fields.filter((f) => input[f] !== undefined);

/** Every rule `input` breaks for a user holding `roles`, with the fields at fault; empty when allowed. */
export function refusedFields<C extends string>(
  rules: FieldPermissions<C>,
  roles: readonly string[],
  input: Record<string, unknown>,
): FieldRefusal<C>[] {
  return rules.flatMap((rule) => {
    const fields = mayUseFieldRule(rule, roles) ? [] : ruleFieldsIn(rule, input);
    return fields.length ? [{ rule, fields }] : [];
  });
}

/** The roles that may set `field`, or undefined when no rule restricts it (route-level access applies). */
export function rolesForField(rules: FieldPermissions, field: string): readonly Role[] | undefined {
  return rules.find((r) => r.fields.includes(field))?.roles;
}

/** "IT, CIO or ADMIN" */
export function rolesPhrase(roles: readonly string[]): string {
  return roles.length < 2 ? roles.join('') : `${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]}`;
}
