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
    for (const [method, op] of Object.entries(item)) {
      if (HTTP_METHODS.has(method)) out.push({ method: method.toUpperCase(), path, routePath: toRoutePath(path), op });
    }
  }
  return out;
}

export const refName = (ref: string) => ref.replace('#/components/schemas/', '');

/**
 * Resolves $ref and the `allOf: [{$ref}]` wrapper that @nestjs/swagger writes for described or
 * nullable references, keeping the outer nullable/description.
 */
export function deref(doc: OpenApiDoc, schema: Schema): Schema {
  if (schema.$ref) {
    const target = doc.components.schemas[refName(schema.$ref)];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return deref(doc, target);
  }
  if (schema.allOf && schema.allOf.length === 1) {
    const { allOf, ...outer } = schema;
    const inner = deref(doc, allOf[0]);
    return { ...inner, nullable: outer.nullable ?? inner.nullable, description: outer.description ?? inner.description };
  }
  return schema;
}

/** The JSON request body schema of an operation, if it documents one. */
export function jsonBodySchema(operation: Operation): Schema | undefined {
  return operation.requestBody?.content['application/json']?.schema;
}

/** The 2xx JSON response schema of an operation, if it documents one. */
export function jsonSuccessSchema(operation: Operation, status: number): Schema | undefined {
  return operation.responses?.[String(status)]?.content?.['application/json']?.schema;
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
  const resolved = deref(doc, schema);
  if (value === null) return resolved.nullable ? [] : [`${path}: null but not nullable`];
  if (value === undefined) return [`${path}: undefined`];
  const problems: string[] = [];
  const type = resolved.type ?? (resolved.properties ? 'object' : undefined);
  if (resolved.enum && !resolved.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in enum`);
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected string, got ${typeof value}`];
      if (resolved.format === 'uuid' && !isUuid(value)) problems.push(`${path}: not a uuid`);
      if (resolved.format === 'date' && !isDate(value)) problems.push(`${path}: not a date`);
      if (resolved.format === 'date-time' && Number.isNaN(Date.parse(value))) problems.push(`${path}: not a date-time`);
      if (resolved.pattern && !new RegExp(resolved.pattern).test(value)) problems.push(`${path}: does not match ${resolved.pattern}`);
      if (resolved.maxLength !== undefined && value.length > resolved.maxLength)
        problems.push(`${path}: longer than ${resolved.maxLength}`);
      if (resolved.minLength !== undefined && value.length < resolved.minLength)
        problems.push(`${path}: shorter than ${resolved.minLength}`);
      break;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${path}: expected ${type}, got ${typeof value}`];
      if (type === 'integer' && !Number.isInteger(value)) problems.push(`${path}: not an integer`);
      if (resolved.minimum !== undefined && value < resolved.minimum) problems.push(`${path}: below ${resolved.minimum}`);
      if (resolved.maximum !== undefined && value > resolved.maximum) problems.push(`${path}: above ${resolved.maximum}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return [`${path}: expected boolean, got ${typeof value}`];
      break;
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected array`];
      if (resolved.maxItems !== undefined && value.length > resolved.maxItems)
        problems.push(`${path}: more than ${resolved.maxItems} items`);
      if (resolved.minItems !== undefined && value.length < resolved.minItems)
        problems.push(`${path}: fewer than ${resolved.minItems} items`);
      if (resolved.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
        problems.push(`${path}: items not unique`);
      if (resolved.items) value.forEach((v, i) => problems.push(...schemaProblems(doc, resolved.items!, v, `${path}[${i}]`)));
      break;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected object`];
      const obj = value as Record<string, unknown>;
      const props = resolved.properties ?? {};
      for (const required of resolved.required ?? [])
        if (!Object.hasOwn(obj, required)) problems.push(`${path}.${required}: required but missing`);
      if (resolved.properties)
        for (const key of Object.keys(obj)) if (!Object.hasOwn(props, key)) problems.push(`${path}.${key}: not documented`);
      for (const [key, ps] of Object.entries(props))
        if (Object.hasOwn(obj, key) && obj[key] !== undefined) problems.push(...schemaProblems(doc, ps, obj[key], `${path}.${key}`));
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
