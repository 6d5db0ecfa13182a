import { APP_CONFIG, AppConfig } from '@stackgate/platform';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import { seedDemo } from '../../apps/api/src/demo/demo-seed';
import { login } from '../support/factories';
import { subcategory } from '../support/finance-factories';
import { makeRequest, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * No N+1: the number of SQL statements a list request runs does not grow with the page size.
 * Measured on the demo stack (tens of records per list) at a small and a large page size.
 */
describe('List endpoints run a constant number of queries, whatever the page size', () => {
  let testApp: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    testApp = await startTestApp(
      {},
      {
        afterMigrate: async (app) => {
          await seedDemo(app, app.get<AppConfig>(APP_CONFIG));
        },
      },
    );
    for (const who of ['admin', 'finance', 'cmo', 'marketer'])
      tokens[who] = await login(testApp, `${who}@demo.stackgate.local`, DEMO_PASSWORD);
    // The demo leaves one request in the CMO's queue: submit a few more so a page can hold several.
    const marketer = { id: '', email: '', roles: [], token: tokens.marketer, auth: { Authorization: `Bearer ${tokens.marketer}` } };
    const costCenterId = (await testApp.http().get('/api/v1/cost-centers').set(marketer.auth).expect(200)).body.items[0].id;
    const subcategoryId = (await subcategory(testApp, 'Email Marketing')).id;
    for (let i = 0; i < 3; i++) await submit(testApp, marketer, (await makeRequest(testApp, marketer, { costCenterId, subcategoryId })).id);
  });
  afterAll(async () => testApp?.close());

  async function countQueries(who: string, path: string): Promise<{ count: number; items: number }> {
    // Every statement is logged once, through a query runner.
    const logger = testApp.dataSource.logger;
    const original = logger.logQuery;
    let count = 0;
    logger.logQuery = function (...args: Parameters<typeof original>) {
      count++;
      return original.apply(this, args);
    };
    try {
      const res = await testApp.http().get(path).set('Authorization', `Bearer ${tokens[who]}`).expect(200);
      return { count, items: res.body.items.length };
    } finally {
      logger.logQuery = original;
    }
  }

  it.each([
    ['admin', '/api/v1/users'],
    ['admin', '/api/v1/cost-centers'],
    ['admin', '/api/v1/vendors'],
    ['marketer', '/api/v1/tools'],
    ['marketer', '/api/v1/tools?shadowIt=false&sort=-updatedAt'],
    ['marketer', '/api/v1/integrations'],
    ['finance', '/api/v1/contracts'],
    ['finance', '/api/v1/spend-entries'],
    ['finance', '/api/v1/budgets'],
    ['finance', '/api/v1/fx-rates'],
    ['cmo', '/api/v1/requests'],
    ['cmo', '/api/v1/requests?queue=awaiting-me'],
    ['cmo', '/api/v1/audit-events'],
    ['cmo', '/api/v1/notifications'],
  ])('%s GET %s', async (who, path) => {
    const sep = path.includes('?') ? '&' : '?';
    const small = await countQueries(who, `${path}${sep}pageSize=2`);
    const large = await countQueries(who, `${path}${sep}pageSize=200`);
    expect(large.items).toBeGreaterThan(small.items);
    // A page that holds every row skips the COUNT, so the large page may run one query fewer.
    expect(large.count).toBeLessThanOrEqual(small.count);
  });
});
