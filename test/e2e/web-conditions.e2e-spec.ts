import { Role } from '@stackgate/platform';
import { RequestCondition } from '@stackgate/procurement';
import { makeCostCenter, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser } from '../support/factories';
import { assess, decide, makeRequest, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bannersAfter, csrfOf, signIn } from '../support/web';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('Web: conditions entered as a list, shown on request, tool and home pages, done then verified', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  beforeAll(async () => {
    testApp = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00' });
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  it("walks the CIO's list of conditions to the owner's home and IT's verification", async () => {
    await makeUser(testApp, [Role.IT]);
    const cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    const conditioned = await makeRequest(
      testApp,
      cast.marketer,
      { costCenterId: cc.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars') },
      { title: 'Web conditions' },
    );
    await submit(testApp, cast.marketer, conditioned.id);
    await decide(testApp, cast.cmo, conditioned.id, { stage: 'MARKETING', decision: 'APPROVE' });
    await assess(testApp, cast.it, conditioned.id);

    const cio = await signIn(testApp, cast.cio);
    const page = (await cio.get(`/requests/${conditioned.id}`).expect(200)).text;
    expect(page).toContain('Conditions as items');
    const version = /name="version" value="(\d+)"/.exec(page)![1];
    const form = { _csrf: csrfOf(page), version, stage: 'IT', decision: 'APPROVE_WITH_CONDITIONS', comment: '', conditions: '' };
    // A row filled in part is marked on its fields; nothing is decided.
    const partial = await cio
      .post(`/requests/${conditioned.id}/decisions`)
      .type('form')
      .send({ ...form, ci0Text: 'Sign the DPA', ci0Owner: '', ci0Due: day(3) })
      .expect(400);
    expect(partial.text).toContain('Choose who fulfils it');
    expect(partial.text).toContain('id="ci0-owner-err"');
    const past = await cio
      .post(`/requests/${conditioned.id}/decisions`)
      .type('form')
      .send({ ...form, ci0Text: 'Sign the DPA', ci0Owner: cast.marketer.id, ci0Due: day(-1) })
      .expect(400);
    expect(past.text).toContain('The due date is in the past');
    expect((await testApp.http().get(`/api/v1/requests/${conditioned.id}`).set(cast.cio.auth).expect(200)).body.currentStage).toBe('IT');

    const ok = await cio
      .post(`/requests/${conditioned.id}/decisions`)
      .type('form')
      .send({
        ...form,
        ci0Text: 'Sign the DPA',
        ci0Owner: cast.marketer.id,
        ci0Due: day(3),
        ci1Text: 'Enable SSO',
        ci1Owner: cast.it.id,
        ci1Due: day(10),
      })
      .expect(303);
    expect((await bannersAfter(cio, ok)).notice).toBe('Decision recorded');
    const approved = await decide(testApp, cast.finance, conditioned.id, { stage: 'FINANCE', decision: 'APPROVE' });
    expect(approved.conditionItems.map((c: { text: string }) => c.text)).toEqual(['Sign the DPA', 'Enable SSO']);
    expect(approved.stages.find((s: { stage: string }) => s.stage === 'IT').conditions).toBe('Sign the DPA\nEnable SSO');
    const [dpa] = approved.conditionItems as { id: string }[];
    await testApp.dataSource.getRepository(RequestCondition).update({ id: dpa.id }, { dueDate: day(-2) });

    // The owner's home lists it as past due, with the action.
    const marketer = await signIn(testApp, cast.marketer);
    const home = (await marketer.get('/').expect(200)).text;
    expect(home).toContain('Conditions to do (1)');
    expect(home).toContain('past due');
    expect(home).toContain(`action="/conditions/${dpa.id}/done"`);
    expect(home).not.toContain(`action="/conditions/${dpa.id}/verify"`);
    const done = await marketer
      .post(`/conditions/${dpa.id}/done`)
      .type('form')
      .send({ _csrf: csrfOf(home), back: '/' })
      .expect(303);
    expect(done.headers.location).toBe('/');
    expect((await bannersAfter(marketer, done)).notice).toContain('marked done');
    // A second click is refused in words, and a verify by the owner too.
    const again = await marketer
      .post(`/conditions/${dpa.id}/verify`)
      .type('form')
      .send({ _csrf: csrfOf(home), back: 'https://evil.example/' })
      .expect(303);
    expect(again.headers.location).toBe('/'); // never an address outside the app
    expect((await bannersAfter(marketer, again)).error).toBe('Only IT or the CIO verifies a condition');

    // IT verifies from the tool page.
    const it = await signIn(testApp, cast.it);
    const tool = (await it.get(`/tools/${approved.toolId}`).expect(200)).text;
    expect(tool).toContain('Sign the DPA');
    expect(tool).toContain(`action="/conditions/${dpa.id}/verify"`);
    const verified = await it
      .post(`/conditions/${dpa.id}/verify`)
      .type('form')
      .send({ _csrf: csrfOf(tool), back: `/tools/${approved.toolId}#conditions` })
      .expect(303);
    expect(verified.headers.location).toBe(`/tools/${approved.toolId}#conditions`);
    expect((await bannersAfter(it, verified)).notice).toBe('Condition verified.');
    const request = (await it.get(`/requests/${conditioned.id}`).expect(200)).text;
    expect(request).toMatch(/Verified by [^,]+, \d{4}-\d{2}-\d{2}/);
    expect(request).toMatch(/Done by [^,]+, \d{4}-\d{2}-\d{2}/);
    expect((await marketer.get('/').expect(200)).text).not.toContain('Conditions to do');
  });
});
