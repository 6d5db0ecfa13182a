import { runMigrations } from '../../apps/api/src/setup';
import { startTestApp, TEST_ENGINE, TestApp } from '../support/test-app';

/**
 * Instances starting together migrate one at a time (a named lock on MySQL/MariaDB): one that cannot get
 * the lock waits, and refuses to start rather than run migrations beside another instance's.
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
    try {
      expect(await other.query("SELECT GET_LOCK('stackgate_migrations', 0) AS got")).toEqual([{ got: 1 }]);
      await expect(runMigrations(testApp.dataSource, { attempts: 2, seconds: 1 })).rejects.toThrow(
        /Another instance has held the migration lock \(stackgate_migrations\) for 2 s/,
      );
      await other.query("SELECT RELEASE_LOCK('stackgate_migrations')");
      expect(await runMigrations(testApp.dataSource, { attempts: 2, seconds: 1 })).toEqual([]);
      // …and it let the lock go again.
      expect(await other.query("SELECT GET_LOCK('stackgate_migrations', 0) AS got")).toEqual([{ got: 1 }]);
      await other.query("SELECT RELEASE_LOCK('stackgate_migrations')");
    } finally {
      await other.release();
    }
  });

  it('runs nothing when every migration has run (SQLite has one writer: no lock)', async () => {
    expect(await runMigrations(testApp.dataSource)).toEqual([]);
  });
});
