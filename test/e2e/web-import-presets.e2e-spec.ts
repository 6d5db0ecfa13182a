import { AuditEvent } from '@stackgate/audit';
import { CostCenterKind, ImportUpload, Tool } from '@stackgate/catalog';
import { DiscoveryCandidate, DiscoveryTransaction } from '@stackgate/discovery';
import { SpendEntry } from '@stackgate/finance';
import { makeCast } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfOf, signIn } from '../support/web';

/**
 * Issue 25 on the web: the import page's preset selector (the chosen layout travels from the check to the commit and
 * the error rows with the kept file, server-side) and the saved custom mappings of card and expense exports.
 */
describe('Web import page: presets and saved mappings', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let hotjar: Tool;

  const repo = <T extends object>(entity: new () => T) => testApp.dataSource.getRepository(entity);
  const counts = async () => [
    await repo(DiscoveryTransaction).count(),
    await repo(SpendEntry).count(),
    await repo(DiscoveryCandidate).count(),
    await repo(ImportUpload).count(),
  ];
  const uploadOf = (html: string) => /name="upload" value="([^"]+)"/.exec(html)?.[1];
  const errorOf = (html: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(html)?.[1];

  const BREX = [
    'Posted Date,Transaction Date,Merchant,Amount,Currency,Cardholder,Department,Memo,Transaction ID,Card Last Four',
    '02/03/2026,02/02/2026,PAYPAL *HOTJAR,"1,100.00",EUR,Ana,Digital Marketing,,BRX-1,4000',
    '02/04/2026,02/04/2026,PAYPAL *WEBINARGEEK,99.00,EUR,Ben,Digital Marketing,,BRX-2,4001',
  ].join('\n');

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    const mkt = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, code: 'MKT' });
    hotjar = await makeTool(testApp, {
      name: 'Hotjar',
      vendor: await makeVendor(testApp, { name: 'Hotjar Ltd' }),
      subcategory: 'Mobile & Web Analytics',
      budgetOwner: mkt,
    });
  });
  afterAll(async () => testApp?.close());

  type Agent = Awaited<ReturnType<typeof signIn>>;
  /** Checks `body` on the import page as `kind` with `preset`, expecting `status`. */
  const check = async (status: number, agent: Agent, kind: string, preset: string | undefined, body: string, name = 'card.csv') => {
    const csrf = csrfOf((await agent.get('/import').expect(200)).text);
    const req = agent.post(`/import?_csrf=${encodeURIComponent(csrf)}`).field('kind', kind);
    if (preset !== undefined) req.field('preset', preset);
    return req.attach('file', Buffer.from(body), { filename: name, contentType: 'text/csv' }).expect(status);
  };

  it("offers each kind's presets in reader words, with the headers each expects, to those who may import the kind", async () => {
    const finance = await signIn(testApp, cast.finance);
    const page = (await finance.get('/import').expect(200)).text;
    expect(page).toContain('Card, expense and accounts-payable exports');
    expect(page).toMatch(/<option value="expensify"\s*>Expensify export<\/option>/);
    expect(page).toMatch(/<option value="brex"\s*>Brex transactions export<\/option>/);
    // the line of a preset names its own headers (from the preset's definition), required ones marked
    expect(page).toContain(
      '<strong>Brex transactions export</strong> (dates month first, 04/30/2026): <code>Posted Date</code>*, <code>Merchant</code>*',
    );
    expect(page).toContain('href="/import/template/spend-transactions?preset&#x3D;brex&amp;format&#x3D;csv"');
    expect(page).toContain('Saved mappings (0): add or delete');
    // finance does not import identity-provider reports: no section for them; the kinds with presets leave the general list
    expect(page).not.toContain('Identity-provider reports');
    expect(page).not.toMatch(/<option value="spend-transactions"/);

    const it = (await (await signIn(testApp, cast.it)).get('/import?kind=idp-apps&preset=entra').expect(200)).text;
    expect(it).toContain('Identity-provider reports');
    expect(it).toContain(`<option value="">Detect from the file's headers</option>`);
    expect(it).toMatch(/<option value="entra" selected\s*>Microsoft Entra ID sign-in log<\/option>/);
    expect(it).toContain(
      '<strong>Okta app assignments report</strong> (Okta: Reports › Application Access Audit › Current Assignments (CSV)): ',
    );
    expect(it).toContain('<code>User</code>, <code>Login</code>*, <code>Application name</code>*');
    const marketer = (await (await signIn(testApp, cast.marketer)).get('/import').expect(200)).text;
    expect(marketer).not.toContain('Card, expense and accounts-payable exports');

    const template = await finance.get('/import/template/spend-transactions?preset=brex&format=csv').expect(200);
    expect(template.text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe(
      'Posted Date,Merchant,Amount,Currency,Cardholder,Department,Memo,Transaction ID',
    );
    const unknown = await finance.get('/import/template/spend-transactions?preset=quickbooks&format=csv').expect(400);
    expect(errorOf(unknown.text)).toBe('This layout is not offered for these files: choose one from the list.');
  });

  it('checks with the chosen preset, keeps it with the file (not in the page), and commits with it', async () => {
    const agent = await signIn(testApp, cast.finance);
    const checked = await check(200, agent, 'spend-transactions', 'brex', BREX, 'brex.csv');
    expect(checked.text).toContain('Read as: <strong>Brex transactions export</strong>');
    expect(checked.text).toContain('<strong>0 invalid</strong>');
    expect(checked.text).toContain('PAYPAL *HOTJAR: Hotjar');
    expect(checked.text).toContain('new discovery candidate');
    const upload = uploadOf(checked.text)!;
    // the commit and error-rows forms carry the kind and the token only: the preset stays with the kept file
    expect(checked.text).not.toMatch(/type="hidden" name="preset"/);
    expect((await repo(ImportUpload).findOneByOrFail({ userId: cast.finance.id })).preset).toBe('brex');
    expect(await repo(SpendEntry).count()).toBe(0);

    // a preset sent with the commit is not how the file is read (generic would refuse Brex's headers)
    const done = await agent
      .post('/import/commit')
      .type('form')
      .send({ _csrf: csrfOf(checked.text), kind: 'spend-transactions', upload, preset: 'generic' })
      .expect(200);
    expect(done.text).toContain('Imported 2 rows: 2 created, 0 updated, 0 unchanged. Layout: Brex transactions export.');
    const entries = await repo(SpendEntry).find({ where: { toolId: hotjar.id } });
    expect(entries.map((e) => [e.amountMinor, e.date])).toEqual([[110000n, '2026-02-03']]);
    expect(await repo(DiscoveryCandidate).countBy({ merchantKey: 'webinargeek' })).toBe(1);
    const audit = await repo(AuditEvent).find({ where: { action: 'import.committed', actorId: cast.finance.id } });
    expect(audit.map((a) => (a.metadata as Record<string, unknown>).preset)).toEqual(['brex']);
  });

  it('refuses a preset of another kind, an unknown one or an unknown saved mapping (400, reader words), keeping and importing nothing', async () => {
    const agent = await signIn(testApp, cast.it);
    const before = await counts();
    const wrongKind = await check(400, agent, 'spend-transactions', 'okta', BREX);
    expect(errorOf(wrongKind.text)).toBe(
      '&quot;okta&quot; is not a layout of card, expense and accounts-payable exports: choose one from the list.',
    );
    const unknownIdp = await check(400, agent, 'idp-apps', 'onelogin', 'Login,Application name\na@x.io,Miro');
    expect(errorOf(unknownIdp.text)).toContain('is not a layout of identity-provider reports');
    const mapping = await check(400, agent, 'spend-transactions', 'custom:Nope', BREX);
    expect(errorOf(mapping.text)).toBe(
      'There is no saved mapping named &quot;Nope&quot;: choose a layout from the list, or save the mapping first.',
    );
    const oneLayout = await check(400, agent, 'tools', 'brex', 'name,vendor,subcategory,budgetOwnerCode\nX,V,CRM,MKT');
    expect(errorOf(oneLayout.text)).toContain('Files of this kind have one layout');
    // the headers of another layout than the one chosen: what the file has, and what to do
    const generic = await check(422, agent, 'spend-transactions', 'generic', BREX);
    expect(errorOf(generic.text)).toMatch(
      /^The file&#x27;s headers do not fit the chosen layout \(unknown columns: Posted Date.*Choose the layout of the file/,
    );
    expect(await counts()).toEqual(before);
    // a marketer may not import card spend whatever the preset (403, as before)
    await check(403, await signIn(testApp, cast.marketer), 'spend-transactions', 'bogus', BREX);
  });

  it('downloads the error rows of a kept file read with its preset, in the export’s own columns', async () => {
    const agent = await signIn(testApp, cast.finance);
    const bad = [BREX.split('\n')[0], '13/45/2026,02/02/2026,PAYPAL *HOTJAR,10.00,EUR,Ana,,,BRX-9,4000', BREX.split('\n')[1]].join('\n');
    const checked = await check(200, agent, 'spend-transactions', 'brex', bad, 'brex march.csv');
    expect(checked.text).toContain('<strong>1 invalid</strong>');
    const upload = uploadOf(checked.text)!;
    const download = await agent
      .post('/import/error-rows')
      .type('form')
      .send({ _csrf: csrfOf(checked.text), kind: 'spend-transactions', upload })
      .expect(200);
    expect(download.headers['content-disposition']).toBe('attachment; filename="brex-march-errors.csv"');
    const lines = download.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'Posted Date,Transaction Date,Merchant,Amount,Currency,Cardholder,Department,Memo,Transaction ID,Card Last Four,errors',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^13\/45\/2026,.*BRX-9,4000,/);
  });

  it('identity-provider reports: detection stays the default, and the detected preset is kept for the commit', async () => {
    const agent = await signIn(testApp, cast.it);
    const entra = 'Date (UTC),Username,Application,Status\n2026-11-30T08:00:00Z,ada@example.com,Hotjar,Success';
    const checked = await check(200, agent, 'idp-apps', '', entra);
    expect(checked.text).toContain('Read as: <strong>Microsoft Entra ID sign-in log</strong>');
    const upload = uploadOf(checked.text)!;
    expect((await repo(ImportUpload).findOneByOrFail({ userId: cast.it.id })).preset).toBe('entra');
    const done = await agent
      .post('/import/commit')
      .type('form')
      .send({ _csrf: csrfOf(checked.text), kind: 'idp-apps', upload })
      .expect(200);
    expect(done.text).toContain('rows of identity-provider evidence');
    expect(done.text).toContain('Layout: Microsoft Entra ID sign-in log.');
  });

  describe('saved mappings', () => {
    const AMEX = ['Posting Date,Description,Card Member,Amount,Currency,Reference', '30/01/2026,PAYPAL *HOTJAR,ANA,45.00,EUR,AMX-1'].join(
      '\n',
    );
    const form = (extra: Record<string, string> = {}) => ({
      name: 'Amex corporate',
      date: 'Posting Date',
      merchant: 'Description',
      amount: 'Amount',
      currency: 'Currency',
      employee: 'Card Member',
      reference: 'Reference',
      dateOrder: 'DMY',
      ...extra,
    });
    const save = async (status: number, agent: Agent, fields: Record<string, string>) => {
      const page = (await agent.get('/import/spend-mappings').expect(200)).text;
      const formKey = /name="_once" value="([^"]+)"/.exec(page)![1];
      return agent
        .post('/import/spend-mappings')
        .type('form')
        .send({ _csrf: csrfOf(page), _once: formKey, ...fields })
        .expect(status);
    };
    const fieldError = (html: string, id: string) => new RegExp(`id="m-${id}-err">([^<]*)<`).exec(html)?.[1];

    it('finance saves one (reader-worded errors first, nothing saved), audited, and imports with it as custom:<name>', async () => {
      const agent = await signIn(testApp, cast.finance);
      const missing = await save(400, agent, form({ merchant: '', name: '' }));
      expect(fieldError(missing.text, 'merchant')).toBe('Fill this in');
      expect(fieldError(missing.text, 'name')).toBe('Fill this in');
      const badName = await save(400, agent, form({ name: '../etc' }));
      expect(fieldError(badName.text, 'name')).toMatch(/^Use 1 to 60 letters/);
      const twice = await save(400, agent, form({ memo: 'description' }));
      expect(fieldError(twice.text, 'memo')).toBe('Another field names this column too: each field needs its own');
      expect(fieldError(twice.text, 'merchant')).toBe('Another field names this column too: each field needs its own');
      const order = await save(400, agent, form({ dateOrder: 'YMD' }));
      expect(fieldError(order.text, 'dateOrder')).toBe('Choose one of the options');
      expect((await testApp.http().get('/api/v1/discovery/spend-mappings').set(cast.finance.auth).expect(200)).body).toEqual([]);

      const saved = await save(303, agent, form());
      const list = (await agent.get(saved.headers.location).expect(200)).text;
      expect(list).toContain('Mapping &quot;Amex corporate&quot; saved: choose &quot;custom:Amex corporate&quot;');
      expect(list).toContain('Merchant or payee: <code>Description</code>');
      expect(list).toContain('Day first, 30/04/2026 or 30.04.2026');
      const again = await save(409, agent, form({ name: 'AMEX Corporate' }));
      expect(fieldError(again.text, 'name')).toMatch(/^A saved mapping already has this name/);
      const audit = await repo(AuditEvent).find({ where: { action: 'spend_mapping.saved' } });
      expect(audit.map((a) => [a.actorId, a.entityType, JSON.stringify(a.changes)])).toEqual([
        [cast.finance.id, 'SpendImportMapping', expect.stringContaining('Amex corporate')],
      ]);

      const importPage = (await agent.get('/import').expect(200)).text;
      expect(importPage).toMatch(/<option value="custom:Amex corporate"\s*>custom:Amex corporate \(saved mapping\)<\/option>/);
      expect(importPage).toContain('<code>Posting Date</code>*, <code>Description</code>*');
      const checked = await check(200, agent, 'spend-transactions', 'custom:amex corporate', AMEX);
      expect(checked.text).toContain('Read as: <strong>custom:Amex corporate (saved mapping)</strong>');
      const done = await agent
        .post('/import/commit')
        .type('form')
        .send({ _csrf: csrfOf(checked.text), kind: 'spend-transactions', upload: uploadOf(checked.text) })
        .expect(200);
      expect(done.text).toContain('1 created');
      expect((await repo(SpendEntry).find({ where: { toolId: hotjar.id } })).map((e) => e.date)).toContain('2026-01-30');
    });

    it('a mapping deleted between the check and the commit: 400 in reader words, nothing imported; deleting is audited', async () => {
      const agent = await signIn(testApp, cast.finance);
      const next = AMEX.replace('AMX-1', 'AMX-2');
      const checked = await check(200, agent, 'spend-transactions', 'custom:Amex corporate', next);
      const list = (await agent.get('/import/spend-mappings').expect(200)).text;
      expect(list).toContain('action="/import/spend-mappings/Amex%20corporate/delete"');
      const deleted = await agent
        .post('/import/spend-mappings/Amex%20corporate/delete')
        .type('form')
        .send({ _csrf: csrfOf(list) })
        .expect(303);
      expect((await agent.get(deleted.headers.location).expect(200)).text).toContain('Mapping &quot;Amex corporate&quot; deleted.');
      const audit = await repo(AuditEvent).findOneByOrFail({ action: 'spend_mapping.deleted' });
      expect(audit.actorId).toBe(cast.finance.id);

      const before = await counts();
      const refused = await agent
        .post('/import/commit')
        .type('form')
        .send({ _csrf: csrfOf(checked.text), kind: 'spend-transactions', upload: uploadOf(checked.text) })
        .expect(400);
      expect(errorOf(refused.text)).toMatch(/^The layout this file was checked with is no longer offered/);
      expect(await counts()).toEqual(before);
      const gone = await agent
        .post('/import/spend-mappings/Amex%20corporate/delete')
        .type('form')
        .send({ _csrf: csrfOf(list) })
        .expect(303);
      expect((await agent.get(gone.headers.location).expect(200)).text).toContain(
        'There is no saved mapping named &quot;Amex corporate&quot;',
      );
    });

    it('is for finance, IT and the CIO, like the API', async () => {
      await (await signIn(testApp, cast.it)).get('/import/spend-mappings').expect(200);
      await (await signIn(testApp, cast.cio)).get('/import/spend-mappings').expect(200);
      for (const who of [cast.marketer, cast.cmo, cast.admin]) {
        const agent = await signIn(testApp, who);
        await agent.get('/import/spend-mappings').expect(403);
        const csrf = csrfOf((await agent.get('/import').expect(200)).text);
        await agent
          .post('/import/spend-mappings')
          .type('form')
          .send({ _csrf: csrf, ...form({ name: 'Sneaky' }) })
          .expect(403);
      }
      expect((await testApp.http().get('/api/v1/discovery/spend-mappings').set(cast.finance.auth).expect(200)).body).toEqual([]);
    });
  });
});
