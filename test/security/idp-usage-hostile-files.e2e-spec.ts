import { AuditEvent } from '@stackgate/audit';
import { IdpApp, ToolUtilisation } from '@stackgate/discovery';
import { makeCast } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 25 §2: hostile identity-provider reports (kind idp-apps) are refused with a 4xx, naming the row and column
 * where a cell is at fault, and change nothing.
 */
describe('Identity-provider usage import: hostile files', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;

  const upload = (body: string, dryRun: boolean, preset?: string, who = cast.it) => {
    const req = testApp.http().post('/api/v1/imports').set(who.auth).field('kind', 'idp-apps').field('dryRun', String(dryRun));
    if (preset) req.field('preset', preset);
    return req.attach('file', Buffer.from(body), 'idp.csv');
  };
  const months = () => testApp.dataSource.getRepository(ToolUtilisation).find({ order: { month: 'ASC' } });
  const auditCount = () => testApp.dataSource.getRepository(AuditEvent).count();
  const counts = async () => ({
    apps: await testApp.dataSource.getRepository(IdpApp).count(),
    months: await testApp.dataSource.getRepository(ToolUtilisation).count(),
  });
  const OKTA = ['Login,Application name,Last login', 'ada@example.com,Slack,2026-11-27T10:00:00Z'].join('\n');

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  describe('hostile files are refused with a 4xx and change nothing', () => {
    const entraHeader = 'Date (UTC),Username,Application,Status';
    it.each([
      ['another preset’s columns', `${entraHeader}\n2026-11-30T08:00:00Z,a@x.io,Miro,Success`, 'okta', 422, 'IMPORT_INVALID_HEADER'],
      ['an unknown preset', `${entraHeader}\n2026-11-30T08:00:00Z,a@x.io,Miro,Success`, 'onelogin', 400, 'VALIDATION_FAILED'],
      ['headers of no preset', 'date,merchant,amount\n2026-11-30,ACME,1.00', undefined, 422, 'IMPORT_INVALID_HEADER'],
      [
        'a formula cell',
        `${entraHeader}\n2026-11-30T08:00:00Z,a@x.io,"=HYPERLINK(""http://x"",""Miro"")",Success`,
        'entra',
        422,
        'IMPORT_INVALID',
      ],
      ['a bad date', `${entraHeader}\n31/11/2026,a@x.io,Miro,Success`, 'entra', 422, 'IMPORT_INVALID'],
      ['a date in the future', `${entraHeader}\n2999-01-01T00:00:00Z,a@x.io,Miro,Success`, 'entra', 422, 'IMPORT_INVALID'],
      [
        'an app name over 200 characters',
        `${entraHeader}\n2026-11-30T08:00:00Z,a@x.io,${'M'.repeat(201)},Success`,
        'entra',
        422,
        'IMPORT_INVALID',
      ],
      ['a control character in a login', `${entraHeader}\n2026-11-30T08:00:00Z,a\u0007@x.io,Miro,Success`, 'entra', 422, 'IMPORT_INVALID'],
      ['a date before 2000', `${entraHeader}\n1970-01-01T00:00:00Z,a@x.io,Miro,Success`, 'entra', 422, 'IMPORT_INVALID'],
    ])('%s', async (_name, body, preset, status, code) => {
      const before = { counts: await counts(), months: await months(), audits: await auditCount() };
      const res = await upload(body, false, preset).expect(status);
      expect(res.body.code).toBe(code);
      expect({ counts: await counts(), months: await months(), audits: await auditCount() }).toEqual(before);
    });

    it('names the row and column of a bad cell', async () => {
      const res = await upload(
        `${entraHeader}\n2026-11-30T08:00:00Z,a@x.io,Miro,Success\n2026-13-01,b@x.io,Miro,Success`,
        true,
        'entra',
      ).expect(200);
      expect(res.body.errors).toEqual([{ row: 3, column: 'Date (UTC)', message: expect.stringContaining('not a real date') }]);
    });

    it('lets only IT, CIO and ADMIN import identity-provider usage', async () => {
      for (const who of [cast.marketer, cast.cmo, cast.finance]) await upload(OKTA, true, 'okta', who).expect(403);
      for (const who of [cast.it, cast.cio, cast.admin]) await upload(OKTA, true, 'okta', who).expect(200);
    });

    it('refuses a preset on a kind without presets', async () => {
      const res = await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.finance.auth)
        .field('kind', 'spend-entries')
        .field('preset', 'okta')
        .attach('file', Buffer.from('date,tool,costType,amount,currency\n'), 's.csv')
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });
});
