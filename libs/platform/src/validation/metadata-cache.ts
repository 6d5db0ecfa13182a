import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Storage = ReturnType<typeof getMetadataStorage> & {
  getTargetValidationMetadatas(
    target: object,
    schema: string | undefined,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): ValidationMetadata[];
  groupByPropertyName(metadata: ValidationMetadata[]): Record<string, ValidationMetadata[]>;
};

const CACHED = Symbol.for('stackgate.validationMetadataCache');

/**
 * class-validator looks up a class's rules on every validation by walking every decorated class
 * with `instanceof` (for inherited rules) and filtering and grouping the result again: most of what
 * a small query DTO's validation costs. The rules are fixed once the classes are loaded, so
 * this remembers each answer per class and options, and forgets everything whenever a rule, a
 * constraint or a schema is registered. The answers are the library's own and are never mutated
 * by it (ValidationExecutor only reads them). Idempotent.
 */
export function cacheValidationMetadata(): void {
  const storage = getMetadataStorage() as Storage & { [CACHED]?: true };
  if (storage[CACHED]) return;
  storage[CACHED] = true;

  // Keyed by the decorated class itself (its identity is all the cache needs).
  let targets = new Map<object, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  for (const name of ['addValidationSchema', 'addValidationMetadata', 'addConstraintMetadata'] as const) {
    const register: (arg: never) => void = storage[name].bind(storage);
    (storage as unknown as Record<string, unknown>)[name] = function (arg: never) {
      targets = new Map();
      grouped = new WeakMap();
      return register(arg);
    };
  }

  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = function (target, schema, always, strictGroups, groups) {
    const key = `${schema ?? ''}|${always}|${strictGroups}|${groups ? JSON.stringify(groups) : ''}`;
    let byOptions = targets.get(target);
    if (!byOptions) targets.set(target, (byOptions = new Map<string, ValidationMetadata[]>()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookUp(target, schema, always, strictGroups, groups)));
    return found;
  };

  const group = storage.groupByPropertyName.bind(storage);
  storage.groupByPropertyName = function (metadata) {
    let byProperty = grouped.get(metadata);
    if (!byProperty) grouped.set(metadata, (byProperty = group(metadata)));
    return byProperty;
  };
}
