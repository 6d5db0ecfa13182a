import { makeCostCenter, subcategoryId } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bannersAfter, signIn } from '../support/web';

/** What a browser posts for the first <form> of a page: its inputs, textareas and selected options (no JavaScript needed). */
function formFields(html: string, formId = 'request-form'): Record<string, string> {
  const start = html.indexOf(`id="${formId}"`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const unescape = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#x3D;/g, '=')
      .replace(/&#x60;/g, '`')
      .replace(/&amp;/g, '&');
  const out: Record<string, string> = {};
  for (const match of form.matchAll(/<input\b([^>]*)>/g)) {
    const name = /\bname="([^"]*)"/.exec(match[1])?.[1];
    if (!name || /\btype="(checkbox|radio|submit)"/.test(match[1])) continue;
    out[name] = unescape(/\bvalue="([^"]*)"/.exec(match[1])?.[1] ?? '');
  }
  for (const match of form.matchAll(/<textarea\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) out[match[1]] = unescape(match[2]);
  for (const match of form.matchAll(/<select\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option value="([^"]*)"\s*selected/.exec(match[2]) ?? /<option value="([^"]*)"/.exec(match[2]);
    out[match[1]] = unescape(chosen?.[1] ?? '');
  }
  return out;
}

/**
 * Issue 21 item 8: a requester whose request was sent back edits and resubmits it in the browser's
 * forms (no API). The edit form posted `type`, which the update DTO refuses, so every save failed
 * with "Some fields need attention" and nothing marked.
 */
describe('Web: editing a request sent back for changes', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let setup: RequestSetup;

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    const cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    setup = { costCenterId: cc.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars') };
  });
  afterAll(async () => testApp?.close());

  async function sentBack() {
    const request = await makeRequest(testApp, cast.marketer, setup, {
      alternativesConsidered: 'Keep using spreadsheets',
      neededBy: '2027-03-31',
    });
    await submit(testApp, cast.marketer, request.id);
    await decide(testApp, cast.cmo, request.id, {
      stage: 'MARKETING',
      decision: 'REQUEST_CHANGES',
      comment: 'Lower the cost, and say what we stop using',
    });
    return request.id as string;
  }

  it('saves the edit form as the browser posts it, clears an emptied field, and the request can be resubmitted', async () => {
    const id = await sentBack();
    const agent = await signIn(testApp, cast.marketer);
    const page = await agent.get(`/requests/${id}/edit`).expect(200);
    const fields = formFields(page.text);
    expect(fields).toMatchObject({
      title: expect.stringMatching(/^Buy /),
      costAmount: '60000.00',
      alternativesConsidered: 'Keep using spreadsheets',
    });
    const saved = await agent
      .post(`/requests/${id}/edit`)
      .type('form')
      .send({ ...fields, costAmount: '45000.00', businessCase: 'Webinars, cheaper plan', alternativesConsidered: '', neededBy: '' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/requests/${id}`);
    expect((await bannersAfter(agent, saved)).notice).toBe('Saved');
    const after = (await testApp.http().get(`/api/v1/requests/${id}`).set(cast.marketer.auth).expect(200)).body;
    expect(after).toMatchObject({
      status: 'CHANGES_REQUESTED',
      type: 'NEW_TOOL',
      estimatedAnnualCost: { amount: '45000.00', currency: 'EUR' },
      businessCase: 'Webinars, cheaper plan',
      alternativesConsidered: null,
      neededBy: null,
      title: fields.title,
      proposedTool: { name: fields.toolName, capabilities: ['webinars'] },
      allocation: [{ costCenterId: setup.costCenterId, shareBps: 10000 }],
    });
    const detail = await agent.get(`/requests/${id}`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(detail.text.slice(detail.text.indexOf(`/requests/${id}/submit`)))![1];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(detail.text)![1];
    const resubmitted = await agent.post(`/requests/${id}/submit`).type('form').send({ _csrf: csrf, version }).expect(303);
    expect((await bannersAfter(agent, resubmitted)).notice).not.toBe('');
    expect((await testApp.http().get(`/api/v1/requests/${id}`).set(cast.cmo.auth).expect(200)).body).toMatchObject({
      status: 'IN_REVIEW',
      round: 2,
      currentStage: 'MARKETING',
    });
  });

  it('marks an invalid field next to it, and names a field the form does not show instead of pointing at nothing', async () => {
    const id = await sentBack();
    const agent = await signIn(testApp, cast.marketer);
    const fields = formFields((await agent.get(`/requests/${id}/edit`).expect(200)).text);
    const before = (await testApp.http().get(`/api/v1/requests/${id}`).set(cast.marketer.auth).expect(200)).body;

    const bad = await agent
      .post(`/requests/${id}/edit`)
      .type('form')
      .send({ ...fields, costAmount: 'lots' })
      .expect(400);
    expect(bad.text).toContain('Some fields need attention (marked below).');
    expect(bad.text).toMatch(/id="q-cost"[^>]*aria-invalid="true"/);
    expect(bad.text).toContain('id="q-cost-err"');

    // An error of a field the form does not show (the hidden version here) is named in the summary.
    const hidden = await agent
      .post(`/requests/${id}/edit`)
      .type('form')
      .send({ ...fields, version: 'abc' })
      .expect(400);
    const alert = /<p class="error" role="alert">([^<]*)<\/p>/.exec(hidden.text)?.[1] ?? '';
    expect(alert).toMatch(/^This could not be saved: version /);
    expect(hidden.text).not.toContain('marked below');
    expect((await testApp.http().get(`/api/v1/requests/${id}`).set(cast.marketer.auth).expect(200)).body).toEqual(before);

    // The type is the stored request's: a posted one neither shapes the body nor is refused.
    const typed = await agent
      .post(`/requests/${id}/edit`)
      .type('form')
      .send({ ...fields, type: 'EXPANSION', toolId: before.id, title: 'Renamed' })
      .expect(303);
    expect(typed.headers.location).toBe(`/requests/${id}`);
    expect((await bannersAfter(agent, typed)).notice).toBe('Saved');
    expect((await testApp.http().get(`/api/v1/requests/${id}`).set(cast.marketer.auth).expect(200)).body).toMatchObject({
      type: 'NEW_TOOL',
      toolId: null,
      title: 'Renamed',
      proposedTool: before.proposedTool,
    });
  });
});
