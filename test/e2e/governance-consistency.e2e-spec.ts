import { AuditEvent } from '@stackgate/audit';
import { makeCostCenter, makeTool, subcategoryId } from '../support/catalog-factories';
import { makeCast, unique } from '../support/factories';
import { assess, decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Governance that does not contradict itself', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let setup: RequestSetup;
  let crmId: string;

  beforeAll(async () => {
    t = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00' });
    cast = await makeCast(t);
    const cc = await makeCostCenter(t, cast.admin, { kind: 'MARKETING' });
    const crm = await makeTool(t, cast.it, { budgetOwnerId: cc.id, name: unique('Facts CRM'), subcategoryId: await subcategoryId(t, 'CRM'), isSystemOfRecord: true });
    crmId = crm.id;
    setup = { costCenterId: cc.id, subcategoryId: await subcategoryId(t, 'Events, Meetings & Webinars') };
  });
  afterAll(async () => t?.close());

  /** A NEW_TOOL request (a fresh vendor, personal data flowing from the CRM into it) walked to APPROVED. */
  async function approveNewTool(assessments: Record<string, unknown>[]) {
    const vendorName = unique('Assessed Vendor');
    const draft = await makeRequest(t, cast.marketer, setup, {
      proposedTool: { name: unique('Assessed Tool'), vendorName, subcategoryId: setup.subcategoryId, capabilities: ['webinars'] },
      requiredIntegrations: [{ toolId: crmId, direction: 'INBOUND', dataObjects: ['contacts'] }],
    });
    await submit(t, cast.marketer, draft.id);
    await decide(t, cast.cmo, draft.id, { stage: 'MARKETING', decision: 'APPROVE' });
    for (const a of assessments) await assess(t, cast.it, draft.id, a);
    await decide(t, cast.cio, draft.id, { stage: 'IT', decision: 'APPROVE' });
    const approved = await decide(t, cast.finance, draft.id, { stage: 'FINANCE', decision: 'APPROVE' });
    expect(approved.status).toBe('APPROVED');
    const tool = (await t.http().get(`/api/v1/tools/${approved.toolId}`).set(cast.it.auth).expect(200)).body;
    const vendor = (await t.http().get(`/api/v1/vendors/${tool.vendorId}`).set(cast.it.auth).expect(200)).body;
    return { requestId: draft.id, tool, vendor };
  }

  describe('§1 the IT assessment flows into the tool and its vendor on approval', () => {
    it('DPA, attestation, SSO and residency recorded by IT are on the vendor and the tool, audited, and governance agrees', async () => {
      const { requestId, tool, vendor } = await approveNewTool([{ ssoSupported: true, securityAttestation: 'SOC2_AND_ISO27001', dpaInPlace: true, dataResidency: 'EU' }]);
      expect(tool).toMatchObject({ ssoEnabled: true, hostingRegion: 'EU' });
      expect(vendor).toMatchObject({ dpaSigned: true, soc2: true, iso27001: true });

      const vendorEvents = await t.dataSource.getRepository(AuditEvent).find({ where: { entityType: 'Vendor', entityId: vendor.id }, order: { chainSeq: 'ASC' } });
      expect(vendorEvents.map((e) => e.action)).toEqual(['vendor.created', 'vendor.updated']);
      expect(vendorEvents[1]).toMatchObject({ actorId: cast.it.id, changes: { soc2: { before: false, after: true }, iso27001: { before: false, after: true }, dpaSigned: { before: false, after: true } }, metadata: { source: 'it-assessment', requestId } });
      const toolEvents = await t.dataSource.getRepository(AuditEvent).find({ where: { entityType: 'Tool', entityId: tool.id, action: 'tool.updated' } });
      expect(toolEvents).toEqual([expect.objectContaining({ changes: { ssoEnabled: { before: false, after: true }, hostingRegion: { before: null, after: 'EU' } }, metadata: expect.objectContaining({ source: 'it-assessment', requestId }) })]);

      const report = (await t.http().get('/api/v1/reports/governance').set(cast.cio.auth).expect(200)).body;
      const flagged = report.personalDataFlows.filter((f: { target: { id: string } }) => f.target.id === tool.id);
      expect(flagged.flatMap((f: { reasons: string[] }) => f.reasons)).not.toContain('VENDOR_WITHOUT_DPA');
    });

    it('the latest assessment of the round wins, negative facts included', async () => {
      const { tool, vendor } = await approveNewTool([
        { ssoSupported: true, securityAttestation: 'SOC2', dpaInPlace: true, dataResidency: 'US' },
        { ssoSupported: false, securityAttestation: 'ISO27001', dpaInPlace: false, dataResidency: null },
      ]);
      expect(tool).toMatchObject({ ssoEnabled: false, hostingRegion: null });
      expect(vendor).toMatchObject({ dpaSigned: false, soc2: false, iso27001: true });
      const report = (await t.http().get('/api/v1/reports/governance').set(cast.cio.auth).expect(200)).body;
      const flagged = report.personalDataFlows.filter((f: { target: { id: string } }) => f.target.id === tool.id);
      expect(flagged.flatMap((f: { reasons: string[] }) => f.reasons)).toContain('VENDOR_WITHOUT_DPA');
    });

    it('IT corrects the facts afterwards through the ordinary edit paths; marketing may not', async () => {
      const { tool, vendor } = await approveNewTool([{ ssoSupported: true, securityAttestation: 'SOC2', dpaInPlace: true, dataResidency: 'EU' }]);
      await t.http().patch(`/api/v1/vendors/${vendor.id}`).set(cast.marketer.auth).send({ version: vendor.version, dpaSigned: false }).expect(403);
      const fixed = await t.http().patch(`/api/v1/vendors/${vendor.id}`).set(cast.it.auth).send({ version: vendor.version, dpaSigned: false }).expect(200);
      expect(fixed.body.dpaSigned).toBe(false);
      await t.http().patch(`/api/v1/tools/${tool.id}`).set(cast.marketer.auth).send({ version: tool.version, ssoEnabled: false }).expect(403);
      const toolFixed = await t.http().patch(`/api/v1/tools/${tool.id}`).set(cast.it.auth).send({ version: tool.version, ssoEnabled: false, hostingRegion: 'EU+US' }).expect(200);
      expect(toolFixed.body).toMatchObject({ ssoEnabled: false, hostingRegion: 'EU+US' });
    });
  });
});
