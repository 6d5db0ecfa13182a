import { migrationLockName, runMigrations } from '../../apps/api/src/setup';
import { startTestApp, TEST_ENGINE, TestApp } from '../support/test-app';

/**
 * Instances of one database starting together migrate one at a time (a named lock per database on
 * MySQL/MariaDB): one that cannot get the lock waits, and refuses to start rather than run migrations
 * beside another instance's; other databases on the same server are not held up.
 */
describe('The migration lock', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const onMysql = TEST_ENGINE === 'mariadb' ? it : it.skip;

  onMysql('waits while another instance holds it, refuses to start after the wait, and migrates once it is free', async () => {
    const other = testApp.dataSource.createQueryRunner();
    const [{ db }] = (await other.query('SELECT DATABASE() AS db')) as Array<{ db: string }>;
    const lock = migrationLockName(db);
    try {
      // Another database's lock on the same server (another deployment, or a test running beside this one) does not hold it up.
      expect(await other.query('SELECT GET_LOCK(?, 0) AS got', [migrationLockName(`${db}_other`)])).toEqual([{ got: 1 }]);
      expect(await runMigrations(testApp.dataSource, { attempts: 1, seconds: 1 })).toEqual([]);
      await other.query('SELECT RELEASE_LOCK(?)', [migrationLockName(`${db}_other`)]);

      expect(await other.query('SELECT GET_LOCK(?, 0) AS got', [lock])).toEqual([{ got: 1 }]);
      await expect(runMigrations(testApp.dataSource, { attempts: 2, seconds: 1 })).rejects.toThrow(
        `Another instance has held the migration lock (${lock}) for 2 s`,
      );
      await other.query('SELECT RELEASE_LOCK(?)', [lock]);
      expect(await runMigrations(testApp.dataSource, { attempts: 2, seconds: 1 })).toEqual([]);
      // …and it let the lock go again.
      expect(await other.query('SELECT GET_LOCK(?, 0) AS got', [lock])).toEqual([{ got: 1 }]);
      await other.query('SELECT RELEASE_LOCK(?)', [lock]);
    } finally {
      await other.release();
    }
  });

  it('names one lock per database, within the 64 characters a lock name holds', () => {
    expect(migrationLockName('stackgate')).toBe('stackgate_migrations:stackgate');
    const long = migrationLockName('x'.repeat(64));
    expect(long).toMatch(/^stackgate_migrations:[0-9a-f]{40}$/);
    expect(long).not.toBe(migrationLockName(`${'x'.repeat(63)}y`));
  });

  it('runs nothing when every migration has run (SQLite has one writer: no lock)', async () => {
    expect(await runMigrations(testApp.dataSource)).toEqual([]);
  });
});
