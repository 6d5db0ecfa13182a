import { Role } from '@stackgate/platform';
import { makeCostCenter } from '../support/catalog-factories';
import { makeUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfOf, signIn } from '../support/web';

describe('Web UI: import (upload → dry-run table → commit)', () => {
  let testApp: TestApp;
  let admin: TestUser, marketer: TestUser;
  let ccCode: string;
  beforeAll(async () => {
    testApp = await startTestApp();
    [admin, marketer] = await Promise.all([makeUser(testApp, [Role.ADMIN]), makeUser(testApp, [Role.MARKETER])]);
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
    const fileData = /name="fileData" value="([^"]+)"/.exec(ok.text)![1];
    const done = await agent
      .post(`/import/commit?_csrf=${encodeURIComponent(csrfOf(ok.text))}`)
      .field('kind', 'tools')
      .field('fileName', 'tools.csv')
      .field('mimeType', 'text/csv')
      .field('fileData', fileData)
      .expect(200);
    expect(done.text).toContain('2 created');
    expect((await testApp.http().get('/api/v1/tools?search=Imported').set(marketer.auth)).body.total).toBe(2);
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
