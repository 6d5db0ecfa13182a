/** Driver-neutral classification of database errors (mysql2 and better-sqlite3). */
function driverError(err: unknown): { code?: string; errno?: number; message?: string } {
  const e = err as { driverError?: unknown; code?: string; errno?: number; message?: string };
  return (e?.driverError as typeof e) ?? e ?? {};
}

export function isUniqueViolation(err: unknown): boolean {
  const d = driverError(err);
  return d.code === 'ER_DUP_ENTRY' || d.errno === 1062 ||
    d.code === 'SQLITE_CONSTRAINT_UNIQUE' || d.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(err: unknown): boolean {
  const d = driverError(err);
  return d.code === 'ER_ROW_IS_REFERENCED_2' || d.code === 'ER_NO_REFERENCED_ROW_2' || d.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'EHOSTUNREACH',
  'ENOTFOUND', 'POOL_CLOSED', 'SQLITE_BUSY', 'SQLITE_CANTOPEN',
]);

export function isConnectionError(err: unknown): boolean {
  const d = driverError(err);
  if (d.code && CONNECTION_CODES.has(d.code)) return true;
  const msg = String(d.message ?? (err as Error)?.message ?? '');
  return /Connection lost|connect ECONNREFUSED|Pool is closed|Can't add new command when connection is in closed state|connection is in closed state/i.test(msg);
}

/** Two transactions collided (deadlock or lock timeout): the loser may retry. */
export function isLockConflict(err: unknown): boolean {
  const d = driverError(err);
  return d.code === 'ER_LOCK_DEADLOCK' || d.code === 'ER_LOCK_WAIT_TIMEOUT' || d.errno === 1213 || d.errno === 1205;
}
