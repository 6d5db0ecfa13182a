import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, ConfigError, loadConfig, setMigrationSettings } from '@stackgate/platform';
import { MIGRATIONS } from '../../../migrations';
import { runMigrations } from './setup';

/** `npm run migration:run` / `migration:revert` against DB_URL. */
async function main(): Promise<void> {
  const command = process.argv[2];
  if (command !== 'run' && command !== 'revert') throw new Error('usage: migrate run|revert');
  const config = loadConfig(process.env);
  setMigrationSettings({ foreignKeys: config.dbForeignKeys });
  const ds = await new DataSource(buildDataSourceOptions(config.dbUrl, { migrations: MIGRATIONS })).initialize();
  try {
    if (command === 'run') {
      const ran = await runMigrations(ds);
      process.stdout.write(ran.length ? `Applied: ${ran.join(', ')}\n` : 'No pending migrations.\n');
    } else {
      await ds.undoLastMigration({ transaction: 'each' });
      process.stdout.write('Reverted the last migration.\n');
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`}\n`);
  process.exit(1);
});
