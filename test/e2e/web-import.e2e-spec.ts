import { ImportUpload } from '@stackgate/catalog';
import { Role } from '@stackgate/platform';
import { makeCostCenter } from '../support/catalog-factories';
import { makeUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfOf, signIn } from '../support/web';

describe('Web UI: import (upload → dry-run table → commit)', () => {
  let testApp: TestApp;
  let admin: TestUser, marketer: TestUser, otherMarketer: TestUser;
  let ccCode: string;
  beforeAll(async () => {
    testApp = await startTestApp();
    [admin, marketer, otherMarketer] = await Promise.all([
      makeUser(testApp, [Role.ADMIN]),
      makeUser(testApp, [Role.MARKETER]),
      makeUser(testApp, [Role.MARKETER]),
    ]);
    ccCode = (await makeCostCenter(testApp, admin, { kind: 'MARKETING' })).code;
  });
  afterAll(async () => testApp?.close());

  it('checks a file, shows the bad row, then commits the corrected file', async () => {
    const agent = await signIn(testApp, marketer);
    const page = await agent.get('/import').expect(200);
    const template = await agent.get('/import/template/tools?format=csv').expect(200);
    const header = template.text.trim().split(/\r?\n/)[0].split(',');
    const row = (name: string, sub: string) =>
      header
        .map(
          (h) =>
            ({ name, vendor: 'Web Import Vendor', subcategory: sub, lifecycle: 'ACTIVE', budgetOwner: ccCode, budgetOwnerCode: ccCode })[
              h
            ] ?? '',
        )
        .join(',');
    const bad = [header.join(','), row('Imported One', 'CRM'), row('Imported Two', 'Not A Subcategory')].join('\n');
    const checked = await agent
      .post(`/import?_csrf=${encodeURIComponent(csrfOf(page.text))}`)
      .field('kind', 'tools')
      .attach('file', Buffer.from(bad), { filename: 'tools.csv', contentType: 'text/csv' })
      .expect(200);
    expect(checked.text).toContain('<strong>1 invalid</strong>');
    expect(checked.text).not.toContain('Import all');
    expect((await testApp.http().get('/api/v1/tools?search=Imported').set(marketer.auth)).body.total).toBe(0);

    const good = [header.join(','), row('Imported One', 'CRM'), row('Imported Two', 'SEO')].join('\n');
    const ok = await agent
      .post(`/import?_csrf=${encodeURIComponent(csrfOf(page.text))}`)
      .field('kind', 'tools')
      .attach('file', Buffer.from(good), { filename: 'tools.csv', contentType: 'text/csv' })
      .expect(200);
    expect(ok.text).toContain('Import all 2 rows');
    // The page carries a token for the kept file, never the file itself.
    expect(ok.text).not.toContain('fileData');
    const upload = /name="upload" value="([^"]+)"/.exec(ok.text)![1];
    const done = await agent
      .post('/import/commit')
      .type('form')
      .send({ _csrf: csrfOf(ok.text), kind: 'tools', upload })
      .expect(200);
    expect(done.text).toContain('2 created');
    expect((await testApp.http().get('/api/v1/tools?search=Imported').set(marketer.auth)).body.total).toBe(2);
    // An imported file is forgotten: the same token does not import it twice.
    const twice = await agent
      .post('/import/commit')
      .type('form')
      .send({ _csrf: csrfOf(ok.text), kind: 'tools', upload })
      .expect(404);
    expect(twice.text).toContain('no longer kept');
  });

  it('keeps a checked file for its user and kind only, for a while: other users, other kinds, tampered and expired tokens get 404', async () => {
    const owner = await signIn(testApp, marketer);
    const page = await owner.get('/import').expect(200);
    const file = `name,vendor,subcategory,budgetOwnerCode\nKept Tool,Kept Vendor,CRM,${ccCode}\n`;
    const ok = await owner
      .post(`/import?_csrf=${encodeURIComponent(csrfOf(page.text))}`)
      .field('kind', 'tools')
      .attach('file', Buffer.from(file), { filename: 'kept.csv', contentType: 'text/csv' })
      .expect(200);
    const upload = /name="upload" value="([^"]+)"/.exec(ok.text)![1];
    const csrf = csrfOf(ok.text);
    const other = await signIn(testApp, otherMarketer);
    const otherCsrf = csrfOf((await other.get('/import').expect(200)).text);
    const tampered = (upload[0] === 'A' ? 'B' : 'A') + upload.slice(1);
    const refusals = [
      await other.post('/import/commit').type('form').send({ _csrf: otherCsrf, kind: 'tools', upload }),
      await other.post('/import/error-rows').type('form').send({ _csrf: otherCsrf, kind: 'tools', upload }),
      await owner.post('/import/commit').type('form').send({ _csrf: csrf, kind: 'integrations', upload }),
      await owner.post('/import/commit').type('form').send({ _csrf: csrf, kind: 'tools', upload: tampered }),
      await owner.post('/import/commit').type('form').send({ _csrf: csrf, kind: 'tools', upload: '../../etc/passwd' }),
      await owner.post('/import/commit').type('form').send({ _csrf: csrf, kind: 'tools' }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
    for (const refusal of refusals) expect(refusal.text).toContain('choose the file and check it again');
    expect((await testApp.http().get('/api/v1/tools?search=Kept%20Tool').set(marketer.auth)).body.total).toBe(0);

    // Expired: past its time the file is refused, and the next check purges it.
    await testApp.dataSource
      .createQueryBuilder()
      .update(ImportUpload)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .execute();
    const expired = await owner.post('/import/commit').type('form').send({ _csrf: csrf, kind: 'tools', upload }).expect(404);
    expect(expired.text).toContain('no longer kept');
    await owner
      .post(`/import?_csrf=${encodeURIComponent(csrf)}`)
      .field('kind', 'tools')
      .attach('file', Buffer.from(file), { filename: 'kept.csv', contentType: 'text/csv' })
      .expect(200);
    expect(Number((await testApp.dataSource.query('SELECT COUNT(*) AS n FROM import_uploads'))[0].n)).toBe(1);
    expect((await testApp.http().get('/api/v1/tools?search=Kept%20Tool').set(marketer.auth)).body.total).toBe(0);
  });

  it('keeps at most three checked files per user (the oldest go first)', async () => {
    const user = await makeUser(testApp, [Role.MARKETER]);
    const agent = await signIn(testApp, user);
    const csrf = csrfOf((await agent.get('/import').expect(200)).text);
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await agent
        .post(`/import?_csrf=${encodeURIComponent(csrf)}`)
        .field('kind', 'tools')
        .attach('file', Buffer.from(`name,vendor,subcategory,budgetOwnerCode\nLimit ${i},V,CRM,${ccCode}\n`), 'limit.csv')
        .expect(200);
      tokens.push(/name="upload" value="([^"]+)"/.exec(res.text)![1]);
    }
    const rows: { n: number | string }[] = await testApp.dataSource.query('SELECT COUNT(*) AS n FROM import_uploads WHERE userId = ?', [
      user.id,
    ]);
    expect(Number(rows[0].n)).toBe(3);
    await agent.post('/import/error-rows').type('form').send({ _csrf: csrf, kind: 'tools', upload: tokens[0] }).expect(404);
    await agent.post('/import/error-rows').type('form').send({ _csrf: csrf, kind: 'tools', upload: tokens[3] }).expect(200);
  });

  it('offers the invalid rows as a CSV (original columns + errors, formula cells escaped) that imports once fixed', async () => {
    const agent = await signIn(testApp, marketer);
    const csrf = csrfOf((await agent.get('/import').expect(200)).text);
    const file = [
      'name,vendor,subcategory,budgetOwnerCode,allocation',
      `Good Row,V,CRM,${ccCode},`,
      `"=HYPERLINK(""http://evil.example""))",V,Nope,${ccCode},`,
      `+Plus Tool,@Vendor,CRM,${ccCode},${ccCode}:60%`,
      `-Minus Tool,V,CRM,NOPE,`,
    ].join('\n');
    const checked = await agent
      .post(`/import?_csrf=${encodeURIComponent(csrf)}`)
      .field('kind', 'tools')
      .attach('file', Buffer.from(file), { filename: 'bad tools.csv', contentType: 'text/csv' })
      .expect(200);
    expect(checked.text).toContain('<strong>3 invalid</strong>');
    expect(checked.text).toContain('Download the invalid rows (CSV)');
    const upload = /name="upload" value="([^"]+)"/.exec(checked.text)![1];
    const download = await agent.post('/import/error-rows').type('form').send({ _csrf: csrf, kind: 'tools', upload }).expect(200);
    expect(download.headers['content-type']).toMatch(/text\/csv/);
    expect(download.headers['content-disposition']).toBe('attachment; filename="bad-tools-errors.csv"');
    const lines = download.text.trim().split('\r\n');
    expect(lines[0]).toBe('name,vendor,subcategory,budgetOwnerCode,allocation,errors');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil.example""))",V,Nope,${ccCode},,"subcategory: unknown subcategory ""Nope"""`);
    expect(lines[2]).toBe(`'+Plus Tool,'@Vendor,CRM,${ccCode},${ccCode}:60%,"allocation: shares must add up to 100%, they add up to 60%"`);
    expect(lines[3]).toBe(`'-Minus Tool,V,CRM,NOPE,,budgetOwnerCode: unknown cost center NOPE`);

    // Fixed in place and uploaded again as it is: the "errors" column is ignored, the escaped cells come back as typed.
    const fixed = download.text.replace(',Nope,', ',CRM,').replace(`${ccCode}:60%`, `${ccCode}:100%`).replace(',NOPE,', `,${ccCode},`);
    const again = await testApp
      .http()
      .post('/api/v1/imports')
      .set(marketer.auth)
      .field('kind', 'tools')
      .field('dryRun', 'true')
      .attach('file', Buffer.from(fixed), 'fixed.csv')
      .expect(200);
    expect(again.body.summary).toEqual({ create: 3, update: 0, unchanged: 0, invalid: 0 });

    // The API answers the same file without a kept copy.
    const api = await testApp
      .http()
      .post('/api/v1/imports/error-rows')
      .set(marketer.auth)
      .field('kind', 'tools')
      .attach('file', Buffer.from(file), 'bad tools.csv')
      .expect(200);
    expect(api.text).toBe(download.text);
    await testApp
      .http()
      .post('/api/v1/imports/error-rows')
      .set(marketer.auth)
      .field('kind', 'contracts')
      .attach('file', Buffer.from(file), 'x.csv')
      .expect(403);
  });

  it('refuses an upload without the CSRF token', async () => {
    const agent = await signIn(testApp, marketer);
    await agent
      .post('/import')
      .set('Accept', 'text/html')
      .field('kind', 'tools')
      .attach('file', Buffer.from('name\nx'), { filename: 'tools.csv', contentType: 'text/csv' })
      .expect(403);
  });
});
