import { makeCostCenter, makeTool, makeVendor, subcategoryId } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { makeRequest } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/web';

type Candidate = {
  toolId: string;
  name: string;
  subcategory: string | null;
  sameSubcategory: boolean;
  sharedCapabilities: string[];
  lifecycle: string;
};

/*
 * A request's overlapCandidates: catalog tools that are not retired and that the governance report's
 * overlap rule counts — the request's subcategory (unless it is a paid-media channel, where several
 * vendors are normal) or at least two of its capability tags (case-insensitive) — by name, at most
 * 50, never the request's own tool; and for a new tool the estimated saving with its basis.
 */
describe('Request detail: overlap candidates', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let ccId: string, webinars: string, social: string, vendorId: string;
  const ids: Record<string, string> = {};

  const tool = async (name: string, over: Record<string, unknown>) => {
    const made = await makeTool(testApp, cast.it, { budgetOwnerId: ccId, vendorId, name, ...over });
    ids[name] = made.id;
    return made;
  };
  const detail = async (id: string): Promise<Candidate[]> =>
    (await testApp.http().get(`/api/v1/requests/${id}`).set(cast.marketer.auth).expect(200)).body.overlapCandidates;

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    ccId = (await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' })).id;
    vendorId = (await makeVendor(testApp, cast.it)).id;
    [webinars, social] = await Promise.all([
      subcategoryId(testApp, 'Events, Meetings & Webinars'),
      subcategoryId(testApp, 'Social Media Marketing & Monitoring'),
    ]);
    await tool('Ovl Both', { subcategoryId: webinars, capabilities: ['Podcasts', 'surveys'] });
    await tool('Ovl Cap Only', { subcategoryId: social, capabilities: ['PODCASTS', 'scheduling'] });
    await tool('Ovl Sub Only', { subcategoryId: webinars, capabilities: ['streaming'] });
    await tool('Ovl Unrelated', { subcategoryId: social, capabilities: ['scheduling'] });
    const retired = await tool('Ovl Retired', { subcategoryId: webinars, capabilities: ['podcasts'] });
    await testApp.http().post(`/api/v1/tools/${retired.id}/retire`).set(cast.it.auth).send({ version: retired.version }).expect(200);
  });
  afterAll(async () => testApp?.close());

  it('lists tools of the same subcategory or with two shared capabilities, by name; one shared tag and retired ones left out', async () => {
    const request = await makeRequest(
      testApp,
      cast.marketer,
      { costCenterId: ccId, subcategoryId: webinars },
      {
        proposedTool: {
          name: 'Ovl New Podcast Tool',
          vendorName: 'Podcast Vendor',
          subcategoryId: webinars,
          capabilities: [' podcasts ', 'Surveys'],
        },
      },
    );
    expect(request.overlapCandidates).toEqual(await detail(request.id));
    expect(request.overlapCandidates.map((c: Candidate) => [c.name, c.sameSubcategory, [...c.sharedCapabilities].sort()])).toEqual([
      ['Ovl Both', true, ['podcasts', 'surveys']],
      ['Ovl Sub Only', true, []],
    ]);
    expect(request.overlapCandidates[0]).toMatchObject({
      toolId: ids['Ovl Both'],
      subcategory: 'Events, Meetings & Webinars',
      lifecycle: 'ACTIVE',
    });
  });

  it('an expansion takes the subcategory and capabilities of its tool, and never lists that tool', async () => {
    const request = await makeRequest(
      testApp,
      cast.marketer,
      { costCenterId: ccId, subcategoryId: webinars },
      { type: 'EXPANSION', toolId: ids['Ovl Cap Only'], proposedTool: undefined },
    );
    // 'Ovl Both' shares one tag (podcasts) from another subcategory: not an overlap.
    expect((await detail(request.id)).map((c) => [c.name, c.sharedCapabilities.sort()])).toEqual([['Ovl Unrelated', ['scheduling']]]);
  });

  it('a request with no capability tags matches on the subcategory alone', async () => {
    const request = await makeRequest(
      testApp,
      cast.marketer,
      { costCenterId: ccId, subcategoryId: social },
      {
        proposedTool: { name: 'Ovl New Social Tool', vendorName: 'Social Vendor', subcategoryId: social, capabilities: [] },
      },
    );
    expect((await detail(request.id)).map((c) => c.name)).toEqual(['Ovl Cap Only', 'Ovl Unrelated']);
  });

  it('keeps the first 50 by name over both kinds of match; single-tag matches never take a place', async () => {
    // 30 more of the subcategory, 30 more sharing two tags, 30 sharing one: the first 50 by name interleave the first two kinds.
    for (let i = 0; i < 30; i++) {
      const padded = String(i).padStart(2, '0');
      await tool(`Ovl Many ${padded} a`, { subcategoryId: webinars, capabilities: [] });
      await tool(`Ovl Many ${padded} b`, { subcategoryId: social, capabilities: ['surveys', 'polls'] });
      await tool(`Ovl Many ${padded} Ab`, { subcategoryId: social, capabilities: ['surveys'] });
    }
    const request = await makeRequest(
      testApp,
      cast.marketer,
      { costCenterId: ccId, subcategoryId: webinars },
      {
        proposedTool: {
          name: 'Ovl New Survey Tool',
          vendorName: 'Survey Vendor',
          subcategoryId: webinars,
          capabilities: ['surveys', 'polls'],
        },
      },
    );
    const names = (await detail(request.id)).map((c) => c.name);
    const expected = [
      'Ovl Both',
      'Ovl Sub Only',
      ...Array.from({ length: 30 }, (_, i) => [
        `Ovl Many ${String(i).padStart(2, '0')} a`,
        `Ovl Many ${String(i).padStart(2, '0')} b`,
      ]).flat(),
    ]
      .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
      .slice(0, 50);
    expect(names).toEqual(expected);
  });

  it('a paid-media channel is no overlap, even with shared tags; another subcategory with two shared tags is', async () => {
    const [searchAds, display] = await Promise.all([
      subcategoryId(testApp, 'Search & Social Advertising'),
      subcategoryId(testApp, 'Display & Programmatic Advertising'),
    ]);
    await tool('Ovl LinkedIn Campaign Manager', { subcategoryId: searchAds, capabilities: ['ads', 'audiences', 'retargeting'] });
    await tool('Ovl Display Network', { subcategoryId: display, capabilities: ['ads', 'audiences'] });
    const request = await makeRequest(
      testApp,
      cast.marketer,
      { costCenterId: ccId, subcategoryId: searchAds },
      {
        proposedTool: { name: 'Ovl Google Ads', vendorName: 'Google', subcategoryId: searchAds, capabilities: ['ads', 'audiences'] },
      },
    );
    expect((await detail(request.id)).map((c) => c.name)).toEqual(['Ovl Display Network']);
    // The request form's hint (subcategory only) agrees: nothing for a paid-media channel.
    const agent = await signIn(testApp, cast.marketer);
    expect((await agent.get(`/requests/overlaps?subcategoryId=${searchAds}`).expect(200)).body.items).toEqual([]);
    expect((await agent.get(`/requests/overlaps?subcategoryId=${webinars}`).expect(200)).body.items.length).toBeGreaterThan(0);
  });

  it("a new tool's estimated saving: the governance formula over the request's estimate and the overlapping tools, shown as a warning", async () => {
    const events = await subcategoryId(testApp, 'Marketing Automation & Campaign/Lead Management');
    const existing = await tool('Ovl Saving Existing', { subcategoryId: events, capabilities: [] });
    const start = new Date().toISOString().slice(0, 8) + '01';
    await testApp
      .http()
      .post('/api/v1/contracts')
      .set(cast.finance.auth)
      .send({ toolId: existing.id, startDate: start, termMonths: 12, billing: 'ANNUAL', amount: { amount: '24000.00', currency: 'EUR' } })
      .expect(201);
    const request = await makeRequest(
      testApp,
      cast.marketer,
      { costCenterId: ccId, subcategoryId: events },
      { proposedTool: { name: 'Ovl Saving New', vendorName: 'Saving Vendor', subcategoryId: events, capabilities: [] } },
    );
    const body = (await testApp.http().get(`/api/v1/requests/${request.id}`).set(cast.marketer.auth).expect(200)).body;
    expect(body.overlapCandidates.map((c: Candidate) => c.name)).toEqual(['Ovl Saving Existing']);
    // Group: the request's €60,000 and the tool's €24,000; consolidating onto the €60,000 one saves €24,000.
    expect(body.overlapSaving).toMatchObject({
      estimatedSaving: { amount: '24000.00', currency: 'EUR' },
      groupCost: { amount: '84000.00', currency: 'EUR' },
    });
    expect(body.overlapSaving.estimatedSavingBasis).toContain('except the most expensive one');
    expect(body.overlapSaving.estimatedSavingBasis).toContain('the overlapping tool listed');
    const agent = await signIn(testApp, cast.marketer);
    const page = await agent.get(`/requests/${request.id}`).expect(200);
    expect(page.text).toMatch(
      /<div class="warning overlap-saving" role="note"><p><strong>Overlaps the catalog: estimated saving €24,000\.00 a year/,
    );
    expect(page.text).toContain('How it is computed: the annual cost of every tool in the group except the most expensive one');

    // An expansion has candidates but no saving; a request with nothing overlapping has neither.
    const expansion = await makeRequest(
      testApp,
      cast.marketer,
      { costCenterId: ccId, subcategoryId: events },
      { type: 'EXPANSION', toolId: ids['Ovl Sub Only'], proposedTool: undefined },
    );
    expect(
      (await testApp.http().get(`/api/v1/requests/${expansion.id}`).set(cast.marketer.auth).expect(200)).body.overlapSaving,
    ).toBeNull();
  });
});
