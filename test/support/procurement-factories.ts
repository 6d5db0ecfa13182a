import { TestUser } from './factories';
import { TestApp } from './test-app';

export interface RequestSetup {
  costCenterId: string;
  subcategoryId: string;
  targetToolId?: string;
}

/** A NEW_TOOL draft by `user` through the API. */
export async function makeRequest(testApp: TestApp, user: TestUser, setup: RequestSetup, over: Record<string, unknown> = {}) {
  const name = `Requested Tool ${Math.random().toString(36).slice(2, 8)}`;
  const res = await testApp
    .http()
    .post('/api/v1/requests')
    .set(user.auth)
    .send({
      type: 'NEW_TOOL',
      title: `Buy ${name}`,
      proposedTool: { name, vendorName: 'Webinar Vendor Ltd', subcategoryId: setup.subcategoryId, capabilities: ['webinars'] },
      businessCase: 'Our webinar funnel needs a platform that syncs leads to the CRM.',
      expectedOutcomes: '+30 % MQLs',
      estimatedAnnualCost: { amount: '60000.00', currency: 'EUR' },
      allocation: [{ costCenterId: setup.costCenterId, shareBps: 10000 }],
      dataCategories: ['contacts'],
      requiredIntegrations: setup.targetToolId ? [{ toolId: setup.targetToolId, direction: 'OUTBOUND', dataObjects: ['leads'] }] : [],
      ...over,
    });
  if (res.status !== 201) throw new Error(`makeRequest: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function submit(testApp: TestApp, user: TestUser, id: string) {
  const cur = await testApp.http().get(`/api/v1/requests/${id}`).set(user.auth).expect(200);
  return (await testApp.http().post(`/api/v1/requests/${id}/submit`).set(user.auth).send({ version: cur.body.version }).expect(200)).body;
}

export async function decide(testApp: TestApp, user: TestUser, id: string, body: Record<string, unknown>, expected = 200) {
  const cur = await testApp.http().get(`/api/v1/requests/${id}`).set(user.auth).expect(200);
  const res = await testApp
    .http()
    .post(`/api/v1/requests/${id}/decisions`)
    .set(user.auth)
    .send({ version: cur.body.version, ...body });
  if (res.status !== expected) throw new Error(`decide ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Records an IT assessment (by an IT or CIO user) for the request's current round: the IT stage approves only on one. */
export async function assess(testApp: TestApp, user: TestUser, id: string, over: Record<string, unknown> = {}, expected = 201) {
  const res = await testApp
    .http()
    .post(`/api/v1/requests/${id}/assessment`)
    .set(user.auth)
    .send({ ssoSupported: true, securityAttestation: 'SOC2', dpaInPlace: true, dataResidency: 'EU', recommendation: 'Approve', ...over });
  if (res.status !== expected) throw new Error(`assess: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
