// Types of bench/lib.js (plain CommonJS, shared by the JavaScript bench scripts) for the TypeScript ones.

/** What `npm run bench:seed` records for `npm run bench` (STATE_FILE). */
export interface BenchState {
  mariadb?: { pid: number; dir: string; port: number; socket: string };
  dbUrl?: string;
  [key: string]: unknown;
}

export interface Rng {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(arr: readonly T[]): T;
  chance(p: number): boolean;
  weighted<T>(pairs: readonly (readonly [T, number])[]): T;
}

export const root: string;
export const DIST: string;
export const BENCH_DIR: string;
export const STATE_FILE: string;
export const BENCH_PASSWORD: string;
export const SPEND_KEY_COLUMN: Record<string, string>;
export function dist(rel: string): unknown;
export function parseArgs(argv: string[]): Record<string, string | true>;
export function mulberry32(seed: number): Rng;
export function readState(): BenchState | null;
export function writeState(state: BenchState): void;
export function pidAlive(pid: number): boolean;
export function stopRecordedMariadb(log?: (msg: string) => void): void;
export function timer(): () => string;
export function pool<T>(items: readonly T[], n: number, fn: (item: T, index: number) => Promise<unknown>): Promise<void>;
export function spendSql(groupBy: string, opts?: { legacyJoin?: boolean; ledger?: boolean }): string;
export function rawImportFloor(
  conn: unknown,
  opts: { toolLike: string; vendorLike: string; importId: string },
): Promise<{ seconds: number; rows: Record<string, number> }>;
export function mysqlOptions(dbUrl: string): Record<string, unknown>;
export function mysqlHosts(dbUrl: string): { host: string; port: number }[];
export function connectMysql(dbUrl: string, extra?: Record<string, unknown>): Promise<unknown>;
export function createMysqlPool(dbUrl: string, extra?: Record<string, unknown>): unknown;
