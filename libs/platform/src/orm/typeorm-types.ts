import type { FindOptionsWhere, ObjectLiteral, QueryDeepPartialEntity } from 'typeorm';
import { In } from 'typeorm';

/*
 * The two places where TypeORM's types refuse a value that is exactly what it expects. Each is one
 * named, typed assertion, so no call site needs a cast (and none hides a real type error behind one).
 */

/**
 * Whole entities as `insert` takes them. `QueryDeepPartialEntity` maps every property deeply, and
 * `unknown` (the values of a JSON column typed `Record<string, unknown>`) maps to `{}`, which
 * `unknown` is not assignable to: a complete entity with a JSON column is refused by the type.
 */
export function insertable<T extends ObjectLiteral>(rows: T[]): QueryDeepPartialEntity<T>[];
export function insertable<T extends ObjectLiteral>(row: T): QueryDeepPartialEntity<T>;
export function insertable<T extends ObjectLiteral>(rows: T | T[]): QueryDeepPartialEntity<T> | QueryDeepPartialEntity<T>[] {
  return rows;
}

/**
 * `{ id: In(ids) }` for any entity with a string id. TypeORM cannot resolve `FindOptionsWhere<T>` for
 * a type parameter (its property types are conditional on T), so a reader generic in the entity
 * needs this assertion.
 */
export function whereIdIn<T extends { id: string }>(ids: readonly string[]): FindOptionsWhere<T> {
  return { id: In([...ids]) } as FindOptionsWhere<T>;
}
