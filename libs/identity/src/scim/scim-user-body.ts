import { ScimPatchOperation } from 'scim-patch';
import { isObject, scimBoolean, scimString } from './scim-resources';
import { scimInvalid, ScimException } from './scim-errors';
import { MAX_PATCH_OPERATIONS, PATCH_SCHEMA, USER_SCHEMA } from './scim-schemas';

/** What Stackgate keeps of a SCIM User. */
export interface UserState {
  /** The identity provider's userName, lower-cased. */
  userName: string;
  /** The Stackgate e-mail: userName when it is one, else the primary (or work, or first) address of emails. */
  email: string;
  displayName: string;
  givenName: string | null;
  familyName: string | null;
  /** undefined: unchanged (a PUT without `active` never deactivates by omission). */
  active: boolean | undefined;
  externalId: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ENTERPRISE_EXTENSION = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user';

/** Attributes Stackgate stores (or answers read-only). */
const STORED = ['username', 'name', 'displayname', 'active', 'emails', 'externalid'];
const READ_ONLY = ['id', 'meta', 'groups', 'schemas'];
/**
 * Attributes of the core User schema and the enterprise extension that identity providers send by
 * default (Entra's and Okta's standard mappings) and Stackgate does not keep: accepted and ignored, so
 * provisioning does not fail on them. `password` is ignored too: a SCIM user signs in with single sign-on.
 */
const IGNORED = [
  'title',
  'nickname',
  'profileurl',
  'usertype',
  'preferredlanguage',
  'locale',
  'timezone',
  'phonenumbers',
  'addresses',
  'ims',
  'photos',
  'x509certificates',
  'entitlements',
  'roles',
  'password',
];

/** The address of `emails` Stackgate signs the person in with: the primary one, else the work one, else the first. */
function emailOf(emails: unknown): string | null {
  if (emails === undefined || emails === null) return null;
  if (!Array.isArray(emails)) throw scimInvalid('emails must be a list');
  const valid = emails.filter((item): item is Record<string, unknown> => isObject(item) && typeof item.value === 'string');
  const chosen =
    valid.find((item) => item.primary === true || String(item.primary).toLowerCase() === 'true') ??
    valid.find((item) => String(item.type).toLowerCase() === 'work') ??
    valid[0];
  if (!chosen) return null;
  const address = (chosen.value as string).trim().toLowerCase();
  if (address.length > 254 || !EMAIL.test(address)) throw scimInvalid(`emails value ${address.slice(0, 60)} is not an e-mail address`);
  return address;
}

/** The top-level attribute a PATCH path names, without the core schema's URN ("name.givenName" → "name"). */
export function rootOf(path: string): string {
  let rest = path.trim();
  if (rest.toLowerCase().startsWith(`${USER_SCHEMA.toLowerCase()}:`)) rest = rest.slice(USER_SCHEMA.length + 1);
  if (rest.toLowerCase().startsWith(ENTERPRISE_EXTENSION)) return ENTERPRISE_EXTENSION;
  return rest.split(/[.[]/)[0].toLowerCase();
}

const isIgnored = (root: string) => IGNORED.includes(root) || root === ENTERPRISE_EXTENSION;

/** A user's desired state from a SCIM User (POST, PUT, or the result of a PATCH). */
export function userStateOf(body: Record<string, unknown>, defaults: { active: boolean | undefined }): UserState {
  const rawUserName = body.userName;
  if (typeof rawUserName !== 'string' || !rawUserName.trim()) throw scimInvalid('userName is required');
  const userName = rawUserName.trim().toLowerCase();
  if (userName.length > 254) throw scimInvalid('userName is longer than 254 characters');
  const email = EMAIL.test(userName) ? userName : emailOf(body.emails);
  if (!email) {
    throw scimInvalid('userName is not an e-mail address and emails names none: Stackgate signs people in by e-mail (map mail or the UPN)');
  }
  const name = body.name === undefined || body.name === null ? {} : body.name;
  if (!isObject(name)) throw scimInvalid('name must be an object');
  const givenName = scimString('name.givenName', name.givenName, 120);
  const familyName = scimString('name.familyName', name.familyName, 120);
  const formatted = scimString('name.formatted', name.formatted, 120);
  const displayName =
    scimString('displayName', body.displayName, 120) ??
    formatted ??
    ([givenName, familyName].filter(Boolean).join(' ') || userName.slice(0, 120));
  const active = body.active === undefined || body.active === null ? defaults.active : scimBoolean('active', body.active);
  return { userName, email, displayName, givenName, familyName, active, externalId: scimString('externalId', body.externalId, 255) };
}

/**
 * The operations of a PATCH request, checked (schema, 1..MAX operations, known op and attribute) and
 * with what Stackgate ignores left out; scim-patch applies what remains.
 */
export function userPatchOperations(body: unknown): ScimPatchOperation[] {
  const operations = patchOperations(body);
  const kept: ScimPatchOperation[] = [];
  for (const operation of operations) {
    if (operation.path !== undefined) {
      if (typeof operation.path !== 'string' || !operation.path.trim())
        throw new ScimException(400, 'path must be a non-empty string', 'invalidPath');
      const root = rootOf(operation.path);
      if (READ_ONLY.includes(root)) throw new ScimException(400, `${operation.path} cannot be changed`, 'mutability');
      if (isIgnored(root)) continue;
      if (!STORED.includes(root)) throw new ScimException(400, `Unknown attribute path ${operation.path}`, 'invalidPath');
      kept.push(operation);
      continue;
    }
    if (!isObject(operation.value)) throw new ScimException(400, 'An operation without path needs an object value', 'invalidSyntax');
    const value: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(operation.value)) {
      const root = rootOf(key);
      if (root === 'id' || root === 'groups') throw new ScimException(400, `${key} cannot be changed`, 'mutability');
      if (isIgnored(root) || root === 'schemas' || root === 'meta') continue;
      if (!STORED.includes(root)) throw new ScimException(400, `Unknown attribute ${key}`, 'invalidPath');
      value[key.includes(':') ? key.slice(key.lastIndexOf(':') + 1) : key] = item;
    }
    if (Object.keys(value).length) kept.push({ ...operation, value });
  }
  return kept;
}

/** The generic checks of a PatchOp body (RFC 7644 §3.5.2): its schema and between 1 and MAX_PATCH_OPERATIONS add/remove/replace. */
export function patchOperations(body: unknown): ScimPatchOperation[] {
  if (!isObject(body)) throw scimInvalid('The request body must be a JSON object', 'invalidSyntax');
  if (!Array.isArray(body.schemas) || !body.schemas.includes(PATCH_SCHEMA))
    throw scimInvalid(`schemas must contain ${PATCH_SCHEMA}`, 'invalidSyntax');
  const operations = body.Operations;
  if (!Array.isArray(operations) || !operations.length) throw scimInvalid('Operations must list at least one operation', 'invalidSyntax');
  if (operations.length > MAX_PATCH_OPERATIONS)
    throw new ScimException(413, `At most ${MAX_PATCH_OPERATIONS} operations per request`, 'tooMany');
  return operations.map((operation: unknown) => {
    if (!isObject(operation) || typeof operation.op !== 'string' || !['add', 'remove', 'replace'].includes(operation.op.toLowerCase())) {
      throw scimInvalid('Each operation needs op add, remove or replace', 'invalidSyntax');
    }
    // Entra ID capitalises ("Replace"); the library and RFC 7644 use lower case.
    return { ...operation, op: operation.op.toLowerCase() } as unknown as ScimPatchOperation;
  });
}
