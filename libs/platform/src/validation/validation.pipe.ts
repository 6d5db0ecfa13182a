import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { cacheValidationMetadata } from './metadata-cache';

type FieldError = { field: string; messages: string[] };

/** No DTO nests deeper or holds longer lists than this; anything beyond is refused before validation runs. */
export const MAX_INPUT_DEPTH = 32;
export const MAX_INPUT_ARRAY = 1000;
/** Keys that class-transformer drops silently instead of reporting them as unknown fields. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** At most this many invalid fields are reported, so a huge invalid body cannot produce a huge answer. */
const MAX_REPORTED = 50;

/** Shape problems of a raw body or query (iterative, so a deeply nested value cannot overflow the stack). */
export function inputShapeProblems(value: unknown): FieldError[] {
  const out: FieldError[] = [];
  const stack: { node: unknown; path: string; depth: number }[] = [{ node: value, path: '', depth: 0 }];
  while (stack.length && out.length < MAX_REPORTED) {
    const { node, path, depth } = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    const field = path || 'body';
    if (depth > MAX_INPUT_DEPTH) {
      out.push({ field, messages: [`${field} is nested more than ${MAX_INPUT_DEPTH} levels deep`] });
      continue;
    }
    if (Array.isArray(node)) {
      if (node.length > MAX_INPUT_ARRAY) {
        out.push({ field, messages: [`${field} has ${node.length} items; at most ${MAX_INPUT_ARRAY} are accepted`] });
        continue;
      }
      node.forEach((x, i) => stack.push({ node: x, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(node)) {
      const child = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) out.push({ field: child, messages: [`property ${key} should not exist`] });
      else stack.push({ node: (node as Record<string, unknown>)[key], path: child, depth: depth + 1 });
    }
  }
  return out;
}

/** A message that names its field by full path: "allocation.0.shareBps must be …", "property roles should not exist". */
function fieldMessage(field: string, message: string): string {
  const last = field.split('.').pop()!;
  if (message.startsWith(`property ${last} `)) return `property ${field}${message.slice(`property ${last}`.length)}`;
  return message.includes(last) ? message.replace(/^[^ ]+/, field) : `${field}: ${message}`;
}

function validationFailed(details: FieldError[]): BadRequestException {
  const shown = details.slice(0, MAX_REPORTED);
  const more = details.length - shown.length;
  const message = shown.map((d) => d.messages.map((m) => fieldMessage(d.field, m)).join('; ')).join('; ');
  return new BadRequestException({
    message: (message || 'Invalid input') + (more > 0 ? `; and ${more} more invalid field(s)` : ''),
    code: 'VALIDATION_FAILED',
    details: shown,
  });
}

/** The global pipe: refuses oversized or prototype-touching input first, then validates against the DTO. */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const problems = inputShapeProblems(value);
      if (problems.length) throw validationFailed(problems);
    }
    return super.transform(value, metadata);
  }
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Rejects unknown fields (400) and reports every invalid field with its path. */
export function createValidationPipe(): ValidationPipe {
  cacheValidationMetadata();
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}
