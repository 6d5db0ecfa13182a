/*
 * The one "did the row change?" rule of every import kind: a row updates the record it matches
 * when one of the kind's declared fields differs, and those fields are its change set.
 *
 *  - A record field left undefined (its column is absent from the file) is never a change.
 *  - null and undefined on the stored side are the same (an empty cell clears a field).
 *  - Arrays and objects compare by value (JSON; bigints as their digits), everything else with ===.
 *  - `comparable` maps both sides first (e.g. tags de-duplicated, an empty allocation = none);
 *    `current` reads the stored side when it is not the field of the same name.
 */

export interface FieldRule<R, E> {
  field: Extract<keyof R, string>;
  /** The stored value to compare with (default: the existing record's field of the same name). */
  current?: (existing: E) => unknown;
  /** What is compared of a value, applied to both sides (the record's and the stored one). */
  comparable?: (value: unknown) => unknown;
}

export type FieldSpec<R, E> = Extract<keyof R, string> | FieldRule<R, E>;

export interface Comparator<R, E> {
  readonly fields: readonly string[];
  /** The fields of `record` whose value differs from `existing`'s, with the record's values. */
  changes(record: R, existing: E): Partial<R>;
}

const toJson = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

const scalarText = (v: unknown): string =>
  typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? String(v) : '';

/** Two field values are the same, change-wise. */
export function sameValue(left: unknown, right: unknown): boolean {
  const leftValue = left ?? null;
  const rightValue = right ?? null;
  if (leftValue === rightValue) return true;
  if (typeof leftValue === 'object' && typeof rightValue === 'object' && leftValue !== null && rightValue !== null)
    return toJson(leftValue) === toJson(rightValue);
  // A bigint against its number or string form (the other side is a scalar here: objects returned above).
  if (typeof leftValue === 'bigint' || typeof rightValue === 'bigint') return scalarText(leftValue) === scalarText(rightValue);
  return false;
}

/** The comparator over the given fields (an import kind's `compare`). */
export function compareFields<R, E>(...specs: FieldSpec<R, E>[]): Comparator<R, E> {
  const rules: FieldRule<R, E>[] = specs.map((s) => (typeof s === 'string' ? { field: s } : s));
  return {
    fields: rules.map((r) => r.field),
    changes(record: R, existing: E): Partial<R> {
      const out: Partial<R> = {};
      for (const rule of rules) {
        const desired = record[rule.field];
        if (desired === undefined) continue;
        const stored = rule.current ? rule.current(existing) : (existing as Record<string, unknown>)[rule.field];
        const comparable = rule.comparable ?? ((v: unknown) => v);
        if (!sameValue(comparable(desired), comparable(stored))) out[rule.field] = desired;
      }
      return out;
    },
  };
}
