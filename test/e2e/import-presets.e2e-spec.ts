import { makeCast } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 25: one way for an import kind to choose its column layout (ImportKind.layout), whichever kind: a named
 * preset, a preset recognised from the file's headers, the preset's own header names in its template, and a preset
 * refused for a kind without presets.
 */
describe('Import presets (one layout mechanism for spend-transactions and idp-apps)', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  const template = (kind: string, preset?: string) =>
    testApp
      .http()
      .get(`/api/v1/imports/templates/${kind}${preset ? `?preset=${encodeURIComponent(preset)}` : ''}`)
      .set(cast.it.auth);
  const firstLine = (text: string) => text.split(/\r?\n/)[0].replace(/^\uFEFF/, '');

  it("writes a spend preset's template in the export's own headers, the generic one in the contract's names", async () => {
    expect(firstLine((await template('spend-transactions').expect(200)).text)).toBe(
      'date,merchant,amount,currency,employee,costCenter,memo,reference',
    );
    const brex = await template('spend-transactions', 'brex').expect(200);
    expect(firstLine(brex.text)).toBe('Posted Date,Merchant,Amount,Currency,Cardholder,Department,Memo,Transaction ID');
    expect(brex.headers['content-disposition']).toContain('spend-transactions-brex-template.csv');
  });

  it('refuses an unknown preset (400) for either kind, and any preset for a kind without presets', async () => {
    expect((await template('spend-transactions', 'quickbooks').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await template('idp-apps', 'onelogin').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await template('tools', 'okta').expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('recognises an identity-provider report from its headers, but never guesses a spend preset', async () => {
    const upload = (kind: string, body: string) =>
      testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.it.auth)
        .field('kind', kind)
        .field('dryRun', 'true')
        .attach('file', Buffer.from(body), 'file.csv');
    const entra = await upload('idp-apps', 'Date (UTC),Username,Application,Status\n2026-11-30T08:00:00Z,a@x.io,Miro,Success').expect(200);
    expect(entra.body.outcome).toMatchObject({ preset: 'entra', source: 'ENTRA' });
    // Brex's headers without preset=brex are not the generic preset's columns.
    const brex = await upload('spend-transactions', 'Posted Date,Merchant,Amount,Currency\n11/30/2026,ACME,1.00,EUR').expect(422);
    expect(brex.body.code).toBe('IMPORT_INVALID_HEADER');
  });
});
