import { APP_CONFIG, AppConfig } from '@stackgate/platform';
import { Tool } from '@stackgate/catalog';
import { IdpApp, IdpUsageService, ToolUtilisation } from '@stackgate/discovery';
import { shiftDates } from '../../apps/api/src/demo/demo-idp-usage';
import { seedDemo } from '../../apps/api/src/demo/demo-seed';
import { startTestApp, TestApp } from '../support/test-app';

/** The demo stack loads one report of each identity provider: evidence on first start, unregistered apps waiting. */
describe('Identity-provider usage in the demo stack', () => {
  let testApp: TestApp;
  const now = new Date();
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    testApp = await startTestApp({}, { afterMigrate: async (app) => void (await seedDemo(app, app.get<AppConfig>(APP_CONFIG), now)) });
  });
  afterAll(async () => testApp?.close());

  it('shifts a report so that its latest day is the one asked for, keeping the gaps', () => {
    expect(shiftDates('a,2026-11-30T10:00:00Z\nb,2026-10-31T00:00:00Z\nc,2026-11-01', '2027-01-02')).toBe(
      'a,2027-01-02T10:00:00Z\nb,2026-12-03T00:00:00Z\nc,2026-12-04',
    );
  });

  it('imports the Okta, Entra and Google reports as of yesterday', async () => {
    const apps = await testApp.dataSource.getRepository(IdpApp).find();
    expect(new Set(apps.map((a) => a.source))).toEqual(new Set(['OKTA', 'ENTRA', 'GOOGLE']));
    expect(new Set(apps.map((a) => a.asOf))).toEqual(new Set([yesterday]));
    const unmatched = (await testApp.app.get(IdpUsageService).unmatchedApps()).map((a) => a.name).sort();
    expect(unmatched).toEqual(['Calendly', 'Canva', 'Gong', 'Loom', 'Miro', 'Notion']);
    const months = await testApp.dataSource.getRepository(ToolUtilisation).find();
    const tools = new Map((await testApp.dataSource.getRepository(Tool).find()).map((t) => [t.id, t]));
    const named = new Map(months.map((m) => [tools.get(m.toolId)!.name, m]));
    for (const name of ['Asana', 'Bynder', 'Tableau', 'Salesforce Sales Cloud', 'HubSpot Marketing Hub', 'Zapier', 'Hotjar'])
      expect(named.has(name)).toBe(true);
    // The tool's active users are the evidence's 30-day figure; Asana's unused seats are valued from its contract.
    const asana = named.get('Asana')!;
    expect(tools.get(asana.toolId)!.activeUsers).toBe(asana.activeUsers30);
    expect(asana).toMatchObject({ month: yesterday.slice(0, 7), seats: 80 });
  });
});
