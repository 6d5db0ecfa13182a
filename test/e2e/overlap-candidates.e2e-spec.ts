import { makeCostCenter, makeTool, makeVendor, subcategoryId } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { makeRequest } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';

type Candidate = {
  toolId: string;
  name: string;
  subcategory: string | null;
  sameSubcategory: boolean;
  sharedCapabilities: string[];
  lifecycle: string;
};

/*
 * A request's overlapCandidates: catalog tools that are not retired and share the request's
 * subcategory or one of its capability tags (case-insensitive), by name, at most 50, never the
 * request's own tool.
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

  it('lists tools of the same subcategory or with a shared capability, by name, retired ones left out', async () => {
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
      ['Ovl Cap Only', false, ['podcasts']],
      ['Ovl Sub Only', true, []],
    ]);
    expect(request.overlapCandidates[1]).toMatchObject({
      toolId: ids['Ovl Cap Only'],
      subcategory: 'Social Media Marketing & Monitoring',
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
    expect((await detail(request.id)).map((c) => [c.name, c.sharedCapabilities.sort()])).toEqual([
      ['Ovl Both', ['podcasts']],
      ['Ovl Unrelated', ['scheduling']],
    ]);
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

  it('keeps the first 50 by name over both kinds of match', async () => {
    // 30 more of the subcategory and 30 more with a shared tag: the first 50 by name interleave them.
    for (let i = 0; i < 30; i++) {
      const number = String(i).padStart(2, '0');
      await tool(`Ovl Many ${number} a`, { subcategoryId: webinars, capabilities: [] });
      await tool(`Ovl Many ${number} b`, { subcategoryId: social, capabilities: ['surveys'] });
    }
    const request = await makeRequest(
      testApp,
      cast.marketer,
      { costCenterId: ccId, subcategoryId: webinars },
      {
        proposedTool: { name: 'Ovl New Survey Tool', vendorName: 'Survey Vendor', subcategoryId: webinars, capabilities: ['surveys'] },
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
});
