/** Driver-neutral classification of database errors (mysql2 and better-sqlite3). */
function driverError(err: unknown): { code?: string; errno?: number; message?: string } {
  const wrapped = err as { driverError?: unknown; code?: string; errno?: number; message?: string };
  return (wrapped?.driverError as typeof wrapped) ?? wrapped ?? {};
}

export function isUniqueViolation(err: unknown): boolean {
  const cause = driverError(err);
  return (
    cause.code === 'ER_DUP_ENTRY' ||
    cause.errno === 1062 ||
    cause.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    cause.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

export function isForeignKeyViolation(err: unknown): boolean {
  const cause = driverError(err);
  return (
    cause.code === 'ER_ROW_IS_REFERENCED_2' || cause.code === 'ER_NO_REFERENCED_ROW_2' || cause.code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
  );
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'POOL_CLOSED',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
]);

export function isConnectionError(err: unknown): boolean {
  const cause = driverError(err);
  if (cause.code && CONNECTION_CODES.has(cause.code)) return true;
  // A Galera node outside the primary component (it lost quorum, or is still joining) refuses every statement
  // with 1047 "WSREP has not yet prepared node for application use": unavailable, not a bad request.
  if (cause.errno === 1047 && /WSREP/i.test(String(cause.message ?? ''))) return true;
  const msg = String(cause.message ?? (err as Error)?.message ?? '');
  return /Connection lost|connect ECONNREFUSED|Pool is closed|Can't add new command when connection is in closed state|connection is in closed state/i.test(
    msg,
  );
}

/** Two transactions collided (deadlock or lock timeout): the loser may retry. */
export function isLockConflict(err: unknown): boolean {
  const cause = driverError(err);
  return cause.code === 'ER_LOCK_DEADLOCK' || cause.code === 'ER_LOCK_WAIT_TIMEOUT' || cause.errno === 1213 || cause.errno === 1205;
}
