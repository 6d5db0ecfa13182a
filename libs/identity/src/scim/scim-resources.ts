import { createHash } from 'node:crypto';
import { DEFAULT_COUNT, LIST_SCHEMA, MAX_RESULTS } from './scim-schemas';
import { scimInvalid, ScimException } from './scim-errors';

export interface ScimMeta {
  resourceType: 'User' | 'Group';
  created: string;
  lastModified: string;
  location: string;
  version?: string;
}

export interface ScimResourceBase {
  schemas: string[];
  id: string;
  meta: ScimMeta;
  [key: string]: unknown;
}

/** A weak ETag over the resource's content (everything but meta), so any change anywhere changes it. */
export function withVersion<T extends ScimResourceBase>(resource: T): T {
  const { meta, ...content } = resource;
  const digest = createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 22);
  return { ...resource, meta: { ...meta, version: `W/"${digest}"` } };
}

/** RFC 7644 §3.14: a precondition that does not match the current version is 412. `*` matches any. */
export function checkIfMatch(ifMatch: string | undefined, resource: ScimResourceBase): void {
  if (!ifMatch) return;
  const wanted = ifMatch.split(',').map((tag) => tag.trim());
  if (wanted.includes('*') || wanted.includes(resource.meta.version ?? '')) return;
  throw new ScimException(412, 'The resource was changed since that version (If-Match); read it again');
}

export interface Paging {
  startIndex: number;
  count: number;
}

const integer = (name: string, raw: unknown): number | undefined => {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^-?\d{1,9}$/.test(raw)) throw scimInvalid(`${name} must be an integer`);
  return Number(raw);
};

/** startIndex (1-based; below 1 is 1) and count (negative is 0, above MAX_RESULTS is MAX_RESULTS), RFC 7644 §3.4.2.4. */
export function pagingOf(query: { startIndex?: unknown; count?: unknown }): Paging {
  const startIndex = Math.max(1, integer('startIndex', query.startIndex) ?? 1);
  const count = Math.min(MAX_RESULTS, Math.max(0, integer('count', query.count) ?? DEFAULT_COUNT));
  return { startIndex, count };
}

export function listResponse<T>(resources: T[], total: number, paging: Paging) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: total,
    startIndex: paging.startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/** `attributes` / `excludedAttributes` (top-level names, RFC 7644 §3.4.2.5); id, schemas and meta always stay. */
export function projection(query: { attributes?: unknown; excludedAttributes?: unknown }) {
  const names = (raw: unknown) =>
    typeof raw === 'string' && raw.trim()
      ? raw
          .split(',')
          .map((name) =>
            name
              .trim()
              .replace(/^urn:[^ ]*:(?=[^:]+$)/i, '')
              .split('.')[0]
              .toLowerCase(),
          )
          .filter(Boolean)
      : null;
  const include = names(query.attributes);
  const exclude = names(query.excludedAttributes) ?? [];
  const always = ['id', 'schemas', 'meta'];
  return {
    wants: (name: string) => !exclude.includes(name.toLowerCase()) && (!include || include.includes(name.toLowerCase())),
    apply<T extends Record<string, unknown>>(resource: T): T {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(resource)) {
        const lower = key.toLowerCase();
        if (always.includes(lower) || (!exclude.includes(lower) && (!include || include.includes(lower)))) out[key] = value;
      }
      return out as T;
    },
  };
}

/** A SCIM boolean as identity providers send it: true/false, or Entra's strings "True"/"False". */
export function scimBoolean(name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw scimInvalid(`${name} must be true or false`);
}

/** An optional string attribute, trimmed, at most `max` characters; null when absent or empty. */
export function scimString(name: string, value: unknown, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw scimInvalid(`${name} must be a string`);
  const text = value.trim();
  if (text.length > max) throw scimInvalid(`${name} is longer than ${max} characters`);
  return text || null;
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body's schemas must name `schema` (RFC 7643 §3). */
export function requireSchema(body: unknown, schema: string): Record<string, unknown> {
  if (!isObject(body)) throw scimInvalid('The request body must be a JSON object', 'invalidSyntax');
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.some((name) => typeof name === 'string' && name.toLowerCase() === schema.toLowerCase())) {
    throw scimInvalid(`schemas must contain ${schema}`, 'invalidSyntax');
  }
  return body;
}

export const iso = (date: Date) => date.toISOString();
