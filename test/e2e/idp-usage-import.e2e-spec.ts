import { AuditEvent } from '@stackgate/audit';
import { CostCenterKind, Tool } from '@stackgate/catalog';
import { IdpApp, IdpUsageService, ToolUtilisation } from '@stackgate/discovery';
import { makeCast } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, money } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfOf, signIn } from '../support/web';

/** Issue 25 §2: identity-provider usage through POST /imports (kind idp-apps, presets okta, entra, google). */
describe('Identity-provider usage import (idp-apps)', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let slack: Tool;
  let hub: Tool;
  let miro: Tool;

  const upload = (body: string, dryRun: boolean, preset?: string, who = cast.it) => {
    const req = testApp.http().post('/api/v1/imports').set(who.auth).field('kind', 'idp-apps').field('dryRun', String(dryRun));
    if (preset) req.field('preset', preset);
    return req.attach('file', Buffer.from(body), 'idp.csv');
  };
  const tool = (id: string) => testApp.dataSource.getRepository(Tool).findOneByOrFail({ id });
  const months = () => testApp.dataSource.getRepository(ToolUtilisation).find({ order: { month: 'ASC' } });
  const auditCount = () => testApp.dataSource.getRepository(AuditEvent).count();
  const counts = async () => ({
    apps: await testApp.dataSource.getRepository(IdpApp).count(),
    months: await testApp.dataSource.getRepository(ToolUtilisation).count(),
  });

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    const mkt = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, code: 'MKT' });
    slack = await makeTool(testApp, {
      name: 'Slack',
      vendor: await makeVendor(testApp, { name: 'Slack Technologies' }),
      subcategory: 'SEO',
      budgetOwner: mkt,
      licensedSeats: 10,
      activeUsers: 9,
    });
    hub = await makeTool(testApp, {
      name: 'Marketing Hub',
      vendor: await makeVendor(testApp, { name: 'HubSpot' }),
      subcategory: 'SEO',
      budgetOwner: mkt,
    });
    miro = await makeTool(testApp, {
      name: 'Miro',
      vendor: await makeVendor(testApp),
      subcategory: 'SEO',
      budgetOwner: mkt,
      licensedSeats: 4,
    });
    // Slack: 1,234.56 a year for 10 seats.
    await testApp
      .http()
      .post('/api/v1/contracts')
      .set(cast.finance.auth)
      .send({
        toolId: slack.id,
        reference: 'SL-1',
        startDate: '2026-01-01',
        termMonths: 12,
        billing: 'ANNUAL',
        amount: money('1234.56'),
        seats: 10,
      })
      .expect(201);
  });
  afterAll(async () => testApp?.close());

  const OKTA = [
    'User,Login,Application name,Application instance,Application login,Assigned on,Unassigned on,Last login,Assignment type',
    'Ada,ada@example.com,Slack,Slack,ada,2025-03-01T09:00:00Z,,2026-11-27T10:00:00Z,Group',
    'Bob,bob@example.com,Slack,Slack,bob,2025-03-01T09:00:00Z,,2026-11-02T10:00:00Z,Group',
    'Cy,CY@example.com,Slack (SAML),Slack,cy,2025-04-01T09:00:00Z,,2026-11-28T23:30:00Z,Individual',
    'Di,di@example.com,Slack,Slack,di,2025-03-01T09:00:00Z,,2026-09-15T10:00:00Z,Group',
    'Ed,ed@example.com,Slack,Slack,ed,2025-03-01T09:00:00Z,2026-10-01T10:00:00Z,2026-09-30T10:00:00Z,Group',
    'Fay,fay@example.com,Slack - SSO,Slack,fay,2026-06-01T09:00:00Z,,,Group',
    'Ada,ada@example.com,"HubSpot, Inc.",HubSpot,ada,2025-01-01T09:00:00Z,,2026-11-20T10:00:00Z,Group',
    'Ada,ada@example.com,Loom,Loom,ada,2026-02-01T09:00:00Z,,2026-11-25T10:00:00Z,Individual',
    'Bob,bob@example.com,Loom,Loom,bob,2026-02-03T09:00:00Z,,2026-09-10T10:00:00Z,Individual',
  ].join('\n');

  it('dry-runs an Okta report: per-app figures, matches and unused seats, writing nothing', async () => {
    const before = await auditCount();
    const res = await upload(OKTA, true, 'okta').expect(200);
    expect(res.body).toMatchObject({ kind: 'idp-apps', dryRun: true, summary: { invalid: 0 } });
    const outcome = res.body.outcome;
    expect(outcome).toMatchObject({ preset: 'okta', source: 'OKTA', asOf: '2026-11-28', month: '2026-11' });
    expect(outcome.unmatchedApps).toEqual([
      { name: 'Loom', assignedUsers: 2, activeUsers30: 1, activeUsers90: 2, firstSeen: '2026-02-01', lastSeen: '2026-11-25' },
    ]);
    expect(outcome.apps.find((a: { name: string }) => a.name === 'HubSpot, Inc.')).toMatchObject({
      tool: { id: hub.id },
      matchedBy: 'VENDOR_NAME',
      change: 'NEW',
    });
    // Slack, Slack (SAML) and Slack - SSO are one tool: assigned a, b, cy, di, fay (ed unassigned); active in the 30
    // days to 28 Nov: a (27 Nov), bob (2 Nov), cy (28 Nov); in 90 days also di (15 Sep), not ed (active 30 Sep, unassigned since).
    const [slackRow] = outcome.tools.filter((t: { tool: { id: string } }) => t.tool.id === slack.id);
    // Independent: 7 unused of 10 seats at 123,456 minor a year / 10 seats.
    const unusedValue = Math.round((123_456 * 7) / 10);
    expect(slackRow).toMatchObject({
      month: '2026-11',
      seats: 10,
      assignedUsers: 5,
      activeUsers30: 3,
      activeUsers90: 4,
      unusedSeats: 7,
      perSeatCost: { amount: '123.46', currency: 'EUR' },
      unusedSeatsValue: { amount: (unusedValue / 100).toFixed(2), currency: 'EUR' },
      activeUsersBefore: 9,
      updatesActiveUsers: true,
      change: 'NEW',
    });
    expect(await counts()).toEqual({ apps: 0, months: 0 });
    expect((await tool(slack.id)).activeUsers).toBe(9);
    expect(await auditCount()).toBe(before);
  });

  it('commits: activeUsers, the month of utilisation, the apps; the same file again changes nothing', async () => {
    await upload(OKTA, false, 'okta').expect(200);
    expect((await tool(slack.id)).activeUsers).toBe(3);
    expect((await tool(hub.id)).activeUsers).toBe(1);
    const [november] = (await months()).filter((m) => m.toolId === slack.id);
    expect(november).toMatchObject({
      month: '2026-11',
      seats: 10,
      activeUsers30: 3,
      unusedSeats: 7,
      perSeatMinor: 12346n,
      unusedValueMinor: 86419n,
    });
    expect((await testApp.app.get(IdpUsageService).unmatchedApps()).map((a) => [a.source, a.name, a.assignedUsers])).toEqual([
      ['OKTA', 'Loom', 2],
    ]);
    const recorded = await testApp.dataSource
      .getRepository(AuditEvent)
      .count({ where: { action: 'idp_usage.recorded', entityId: slack.id } });
    expect(recorded).toBe(1);

    const snapshot = { tool: await tool(slack.id), counts: await counts(), months: await months() };
    const audits = await auditCount();
    const again = await upload(OKTA, false, 'okta').expect(200);
    expect(again.body.outcome.apps.every((a: { change: string }) => a.change === 'UNCHANGED')).toBe(true);
    expect(
      again.body.outcome.tools.every(
        (t: { change: string; updatesActiveUsers: boolean }) => t.change === 'UNCHANGED' && !t.updatesActiveUsers,
      ),
    ).toBe(true);
    expect(await tool(slack.id)).toEqual(snapshot.tool);
    expect(await counts()).toEqual(snapshot.counts);
    expect(await months()).toEqual(snapshot.months);
    expect(await auditCount()).toBe(audits + 1); // import.committed only
  });

  it('puts the apps with no catalog entry in the discovery queue (source IDP), once however often the file comes', async () => {
    const listed = async () => {
      const res = await testApp.http().get('/api/v1/discovery/candidates?source=IDP').set(cast.cio.auth).expect(200);
      return (res.body.items ?? res.body) as { id: string; merchant: string; source: string; status: string }[];
    };
    // The commit above (and its re-import) queued Loom, the one unmatched app; Slack and HubSpot matched tools.
    const first = await listed();
    expect(first.map((c) => [c.merchant, c.source, c.status])).toEqual([['loom', 'IDP', 'OPEN']]);
    const spend = await testApp.http().get('/api/v1/discovery/candidates?source=SPEND').set(cast.cio.auth).expect(200);
    expect(spend.body.items ?? spend.body).toEqual([]);
    const created = await testApp.dataSource
      .getRepository(AuditEvent)
      .count({ where: { action: 'discovery_candidate.created', entityId: first[0].id } });
    expect(created).toBe(1);

    await upload(OKTA, false, 'okta').expect(200);
    expect((await listed()).map((c) => c.id)).toEqual([first[0].id]);
  });

  it("takes the governance report's unused seats from the evidence, with the date of the last import (JSON, CSV, HTML, web page)", async () => {
    // Typed over by hand after the import: the report keeps the identity provider's figure.
    await testApp.dataSource.getRepository(Tool).update({ id: slack.id }, { activeUsers: 1 });
    const report = (await testApp.http().get('/api/v1/reports/governance?asOf=2026-11-28').set(cast.cio.auth).expect(200)).body;
    expect(report.utilisationEvidence).toEqual({ source: 'OKTA', lastImportAt: expect.any(String), asOf: '2026-11-28' });
    const row = report.unusedSeats.find((u: { tool: { id: string } }) => u.tool.id === slack.id);
    // Independent: 7 unused × 1,234.56 / 10 seats = 864.192 → 864.19.
    expect(row).toEqual({
      tool: { id: slack.id, name: 'Slack' },
      licensedSeats: 10,
      activeUsers: 3,
      unusedSeats: 7,
      perSeatCost: { amount: '123.46', currency: 'EUR' },
      value: { amount: '864.19', currency: 'EUR' },
      evidence: { source: 'OKTA', month: '2026-11', asOf: '2026-11-28' },
    });
    const csv = (await testApp.http().get('/api/v1/reports/governance?asOf=2026-11-28&format=csv').set(cast.cio.auth).expect(200)).text;
    expect(csv).toContain('unused_seats,Slack,7,864.19,EUR');
    expect(csv).toMatch(/utilisation_evidence,OKTA,last import \d{4}-\d{2}-\d{2}T[^;]+; active users as of 2026-11-28/);
    const html = (await testApp.http().get('/api/v1/reports/governance?asOf=2026-11-28&format=html').set(cast.cio.auth).expect(200)).text;
    expect(html).toContain('Active users from the identity provider (Okta)');
    expect(html).toContain('Okta, as of 2026-11-28');
    await testApp.dataSource.getRepository(Tool).update({ id: slack.id }, { activeUsers: 3 });
  });

  it("shows the tool's utilisation history on its page; the unused seats' value only to those who see contracts", async () => {
    const finance = await (await signIn(testApp, cast.finance)).get(`/tools/${slack.id}`).expect(200);
    expect(finance.text).toContain('Licence utilisation');
    expect(finance.text).toMatch(
      />2026-11<\/td><td[^>]*>Okta <span class="muted small">as of 2026-11-28<\/span><\/td><td class="num"[^>]*>10<\/td>/,
    );
    expect(finance.text).toContain('€864.19');
    const marketer = await (await signIn(testApp, cast.marketer)).get(`/tools/${slack.id}`).expect(200);
    expect(marketer.text).toContain('Licence utilisation');
    expect(marketer.text).not.toContain('Unused seats a year');
    const none = await (await signIn(testApp, cast.marketer)).get(`/tools/${hub.id}`).expect(200);
    expect(none.text).toContain('Licence utilisation'); // HubSpot matched: a month without seats
  });

  it('checks a report on the web import page, recognising its preset and showing the figures and the unmatched apps', async () => {
    const agent = await signIn(testApp, cast.it);
    const form = await agent.get('/import?kind=idp-apps').expect(200);
    const res = await agent
      .post(`/import?_csrf=${csrfOf(form.text)}`)
      .field('kind', 'idp-apps')
      .attach('file', Buffer.from(OKTA), 'okta.csv')
      .expect(200);
    expect(res.text).toContain('Identity-provider usage as of 2026-11-28');
    expect(res.text).toContain('Apps in no catalog entry (1)');
    expect(res.text).toMatch(/>Loom<\/td>/);
    expect(res.text).toContain('Unchanged');
    expect(res.text).toContain('rows of evidence');
  });

  it('reads an Entra sign-in log (detected without a preset) and a Google OAuth log', async () => {
    const entra = [
      'Date (UTC),Request ID,User agent,Correlation ID,User ID,User,Username,User type,Application,Application ID,Resource,IP address,Status',
      '2026-11-30T08:00:00Z,r1,ua,c1,u1,Ada,ada@example.com,Member,Miro,app-1,Miro,10.0.0.1,Success',
      '2026-11-29T08:00:00Z,r2,ua,c2,u1,Ada,ada@example.com,Member,Miro,app-1,Miro,10.0.0.1,Success',
      '2026-11-29T09:00:00Z,r3,ua,c3,u2,Bob,bob@example.com,Member,Miro,app-1,Miro,10.0.0.2,Failure',
      '2026-10-01T09:00:00Z,r4,ua,c4,u3,Cy,cy@example.com,Member,Miro,app-1,Miro,10.0.0.3,Success',
      '2026-11-01T09:00:00Z,r5,ua,c5,u3,Cy,cy@example.com,Member,Notion,app-2,Notion,10.0.0.3,Success',
    ].join('\n');
    const res = await upload(entra, false).expect(200);
    expect(res.body.outcome).toMatchObject({ preset: 'entra', asOf: '2026-11-30' });
    expect(res.body.outcome.tools).toEqual([
      expect.objectContaining({
        tool: { id: miro.id, name: 'Miro' },
        assignedUsers: 2,
        activeUsers30: 1,
        activeUsers90: 2,
        seats: 4,
        unusedSeats: 3,
        unusedSeatsValue: null,
      }),
    ]);
    expect((await tool(miro.id)).activeUsers).toBe(1);

    const google = [
      'Date,Event,Description,Actor,App name,Client ID,Scope,IP address',
      '2026-11-10T08:00:00Z,Authorize,granted,ada@example.com,Calendly,123.apps,calendar,10.0.0.1',
      '2026-11-11T08:00:00Z,Authorize,granted,bob@example.com,Calendly,123.apps,calendar,10.0.0.2',
      '2026-11-12T08:00:00Z,Revoke,revoked,bob@example.com,Calendly,123.apps,calendar,10.0.0.2',
      '2026-11-13T08:00:00Z,Activity,used,ada@example.com,Miro,456.apps,drive,10.0.0.1',
    ].join('\n');
    const googleRes = await upload(google, true, 'google').expect(200);
    expect(googleRes.body.outcome.unmatchedApps).toEqual([
      // bob authorised, then revoked: no longer counted.
      { name: 'Calendly', assignedUsers: 1, activeUsers30: 1, activeUsers90: 1, firstSeen: '2026-11-10', lastSeen: '2026-11-12' },
    ]);
  });

  it('serves each preset’s template', async () => {
    for (const [preset, header] of [
      ['okta', 'User,Login,Application name'],
      ['entra', 'Date (UTC),User,Username'],
      ['google', 'Date,Event,Actor,App name'],
    ]) {
      const res = await testApp.http().get(`/api/v1/imports/templates/idp-apps?preset=${preset}`).set(cast.it.auth).expect(200);
      expect(res.text.startsWith(header)).toBe(true);
    }
  });
});
