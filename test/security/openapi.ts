import 'reflect-metadata';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { API_PREFIX, RegisteredRoute } from './routes';

/*
 * The parts of an OpenAPI 3.0 document (as @nestjs/swagger writes it) that the contract and fuzz
 * suites read, plus the few helpers they share: path normalisation, $ref resolution, a small
 * schema checker, and which handlers take a @Body().
 */

export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  nullable?: boolean;
  description?: string;
  default?: unknown;
  example?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema: Schema }> }>;
}

export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

export interface DocOperation {
  method: string;
  /** As documented: /api/v1/tools/{id} */
  path: string;
  /** As Nest registers it: /api/v1/tools/:id */
  routePath: string;
  op: Operation;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

export const toRoutePath = (p: string) => p.replace(/\{([^}]+)\}/g, ':$1');

/** Every documented operation (optionally only those under /api/v1). */
export function docOperations(doc: OpenApiDoc, apiOnly = true): DocOperation[] {
  const out: DocOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (apiOnly && !path.startsWith(API_PREFIX + '/')) continue;
    for (const [m, op] of Object.entries(item)) {
      if (HTTP_METHODS.has(m)) out.push({ method: m.toUpperCase(), path, routePath: toRoutePath(path), op });
    }
  }
  return out;
}

export const refName = (ref: string) => ref.replace('#/components/schemas/', '');

/**
 * Resolves $ref and the `allOf: [{$ref}]` wrapper that @nestjs/swagger writes for described or
 * nullable references, keeping the outer nullable/description.
 */
export function deref(doc: OpenApiDoc, s: Schema): Schema {
  if (s.$ref) {
    const target = doc.components.schemas[refName(s.$ref)];
    if (!target) throw new Error(`unresolved ${s.$ref}`);
    return deref(doc, target);
  }
  if (s.allOf && s.allOf.length === 1) {
    const { allOf, ...outer } = s;
    const inner = deref(doc, allOf[0]);
    return { ...inner, nullable: outer.nullable ?? inner.nullable, description: outer.description ?? inner.description };
  }
  return s;
}

/** The JSON request body schema of an operation, if it documents one. */
export function jsonBodySchema(o: Operation): Schema | undefined {
  return o.requestBody?.content['application/json']?.schema;
}

/** The 2xx JSON response schema of an operation, if it documents one. */
export function jsonSuccessSchema(o: Operation, status: number): Schema | undefined {
  return o.responses?.[String(status)]?.content?.['application/json']?.schema;
}

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
const isDate = (v: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/**
 * Checks a value against a schema: types, required properties, no undocumented properties,
 * enums, formats uuid/date/date-time, patterns, lengths and bounds. Returns the problems, each
 * with its JSON path. Enough for the schemas this API writes; not a general validator.
 */
export function schemaProblems(doc: OpenApiDoc, schema: Schema, value: unknown, path = '$'): string[] {
  const s = deref(doc, schema);
  if (value === null) return s.nullable ? [] : [`${path}: null but not nullable`];
  if (value === undefined) return [`${path}: undefined`];
  const problems: string[] = [];
  const type = s.type ?? (s.properties ? 'object' : undefined);
  if (s.enum && !s.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in enum`);
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected string, got ${typeof value}`];
      if (s.format === 'uuid' && !isUuid(value)) problems.push(`${path}: not a uuid`);
      if (s.format === 'date' && !isDate(value)) problems.push(`${path}: not a date`);
      if (s.format === 'date-time' && Number.isNaN(Date.parse(value))) problems.push(`${path}: not a date-time`);
      if (s.pattern && !new RegExp(s.pattern).test(value)) problems.push(`${path}: does not match ${s.pattern}`);
      if (s.maxLength !== undefined && value.length > s.maxLength) problems.push(`${path}: longer than ${s.maxLength}`);
      if (s.minLength !== undefined && value.length < s.minLength) problems.push(`${path}: shorter than ${s.minLength}`);
      break;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${path}: expected ${type}, got ${typeof value}`];
      if (type === 'integer' && !Number.isInteger(value)) problems.push(`${path}: not an integer`);
      if (s.minimum !== undefined && value < s.minimum) problems.push(`${path}: below ${s.minimum}`);
      if (s.maximum !== undefined && value > s.maximum) problems.push(`${path}: above ${s.maximum}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return [`${path}: expected boolean, got ${typeof value}`];
      break;
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected array`];
      if (s.maxItems !== undefined && value.length > s.maxItems) problems.push(`${path}: more than ${s.maxItems} items`);
      if (s.minItems !== undefined && value.length < s.minItems) problems.push(`${path}: fewer than ${s.minItems} items`);
      if (s.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) problems.push(`${path}: items not unique`);
      if (s.items) value.forEach((v, i) => problems.push(...schemaProblems(doc, s.items!, v, `${path}[${i}]`)));
      break;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected object`];
      const obj = value as Record<string, unknown>;
      const props = s.properties ?? {};
      for (const r of s.required ?? []) if (!Object.hasOwn(obj, r)) problems.push(`${path}.${r}: required but missing`);
      if (s.properties) for (const k of Object.keys(obj)) if (!Object.hasOwn(props, k)) problems.push(`${path}.${k}: not documented`);
      for (const [k, ps] of Object.entries(props))
        if (Object.hasOwn(obj, k) && obj[k] !== undefined) problems.push(...schemaProblems(doc, ps, obj[k], `${path}.${k}`));
      break;
    }
    default:
      break; // free-form (type: object without properties, or no type): anything goes
  }
  return problems;
}

/** The body parameter's class (or true for an untyped @Body()) of each handler, by "Controller.handler". */
export function bodyParams(app: NestExpressApplication): Map<string, { metatype: unknown } | undefined> {
  type Modules = Map<string, { controllers: Map<unknown, { metatype: unknown }> }>;
  const modules = (app as unknown as { container: { getModules(): Modules } }).container.getModules();
  const out = new Map<string, { metatype: unknown } | undefined>();
  for (const mod of modules.values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...a: unknown[]) => unknown) | undefined;
      if (!ctrl) continue;
      for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
        if (name === 'constructor') continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, ctrl, name) ?? {}) as Record<string, { index: number; data?: unknown }>;
        // Keys are "<RouteParamtypes>:<index>"; BODY is 3.
        const body = Object.entries(args).find(([k]) => k.split(':')[0] === '3');
        if (!body) {
          out.set(`${ctrl.name}.${name}`, undefined);
          continue;
        }
        const types = (Reflect.getMetadata('design:paramtypes', ctrl.prototype, name) ?? []) as unknown[];
        out.set(`${ctrl.name}.${name}`, { metatype: types[body[1].index] });
      }
    }
  }
  return out;
}

export const handlerKey = (r: RegisteredRoute) => `${r.controller}.${r.handler}`;
