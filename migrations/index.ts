import { Foundation1767000000000 } from './1767000000000-foundation';

/**
 * Every migration, in order. Listed explicitly (no globbing) so the same list runs from the
 * compiled app, the migration script and the tests. Append new migrations at the end.
 */
export const MIGRATIONS = [
  Foundation1767000000000,
];
