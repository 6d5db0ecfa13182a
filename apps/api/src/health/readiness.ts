import { DataSource } from 'typeorm';

/**
 * The readiness checks, each answering a word: database up|down, migrations applied|pending|
 * unknown, cluster none (not Galera) or the node's wsrep_local_state_comment (Synced when it may
 * serve; Joining, Donor/Desynced … otherwise, or not_ready when wsrep_ready is OFF, e.g. without quorum).
 */
export class ReadinessChecks {
  /** Once every migration of this version is applied it stays so: checked until then only. */
  private migrationsApplied = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly timeoutMs: number,
  ) {}

  database(): Promise<unknown> {
    return withTimeout(this.dataSource.query('SELECT 1'), this.timeoutMs);
  }

  async run(): Promise<Record<'database' | 'migrations' | 'cluster', string>> {
    try {
      await this.database();
    } catch {
      return { database: 'down', migrations: 'unknown', cluster: 'unknown' };
    }
    const [migrations, cluster] = await Promise.all([this.migrations(), this.cluster()]);
    return { database: 'up', migrations, cluster };
  }

  private async migrations(): Promise<string> {
    if (this.migrationsApplied) return 'applied';
    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    try {
      const rows: { name: string }[] = await withTimeout(this.dataSource.query(`SELECT name FROM ${table}`), this.timeoutMs);
      const applied = new Set(rows.map((row) => row.name));
      this.migrationsApplied = this.dataSource.migrations.every((migration) => applied.has(migration.name!));
      return this.migrationsApplied ? 'applied' : 'pending';
    } catch {
      return 'pending';
    }
  }

  private async cluster(): Promise<string> {
    if (this.dataSource.options.type !== 'mysql' && this.dataSource.options.type !== 'mariadb') return 'none';
    try {
      const rows: { Variable_name: string; Value: string }[] = await withTimeout(
        this.dataSource.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_ready')"),
        this.timeoutMs,
      );
      const status = new Map(rows.map((row) => [row.Variable_name.toLowerCase(), row.Value]));
      if (!status.has('wsrep_local_state_comment')) return 'none';
      if (status.get('wsrep_ready') === 'OFF') return 'not_ready';
      return status.get('wsrep_local_state_comment')!;
    } catch {
      return 'unknown';
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
