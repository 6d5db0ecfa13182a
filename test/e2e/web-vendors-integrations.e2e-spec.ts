import { makeCostCenter, makeTool, makeVendor } from '../support/catalog-factories';
import { makeCast, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bannersAfter, csrfOf, signIn } from '../support/web';

const formKeyOf = (html: string) => /name="_once" value="([^"]+)"/.exec(html)![1];
const errorOf = (html: string, id: string) => new RegExp(`<p class="field-error" id="${id}-err">([^<]*)</p>`).exec(html)?.[1];

/** Issue 23 §1: vendors registered and edited, data flows mapped, edited and retired in the web UI, by the roles the API lets write them. */
describe('Web: vendors and data flows', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let cc: { id: string };

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
  });
  afterAll(async () => testApp?.close());

  const vendorsNamed = async (name: string) =>
    (
      await testApp
        .http()
        .get(`/api/v1/vendors?search=${encodeURIComponent(name)}`)
        .set(cast.it.auth)
        .expect(200)
    ).body.items;

  describe('vendors', () => {
    it('the tool form links to the vendor form, which returns to it with the new vendor chosen', async () => {
      const agent = await signIn(testApp, cast.marketer);
      const toolForm = await agent.get('/catalog/new').expect(200);
      expect(toolForm.text).toContain('href="/vendors/new?next=%2Fcatalog%2Fnew"');
      expect(toolForm.text).not.toContain('Add it through the API or an import');
      const form = await agent.get('/vendors/new?next=%2Fcatalog%2Fnew').expect(200);
      expect(form.text).toContain('name="next" value="/catalog/new"');
      expect(form.text).toMatch(/<fieldset id="v-attest" disabled/);
      const name = unique('Acme Webinars');
      const saved = await agent
        .post('/vendors')
        .type('form')
        .send({
          _csrf: csrfOf(form.text),
          _once: formKeyOf(form.text),
          next: '/catalog/new',
          name,
          website: 'https://acme.example',
          notes: '',
        })
        .expect(303);
      const [vendor] = await vendorsNamed(name);
      expect(vendor).toMatchObject({ name, website: 'https://acme.example', soc2: false, dpaSigned: false, notes: null });
      expect(saved.headers.location).toBe(`/catalog/new?vendorId=${vendor.id}`);
      const back = await agent.get(saved.headers.location).expect(200);
      expect(back.text).toMatch(new RegExp(`<option value="${vendor.id}" selected>`));
      expect(back.text).toContain(`<p class="notice" role="status">Vendor ${name} registered</p>`);
    });

    it('a taken name and a website that is not one are worded next to their fields; nothing is created', async () => {
      const existing = await makeVendor(testApp, cast.marketer);
      const agent = await signIn(testApp, cast.cmo);
      const form = await agent.get('/vendors/new').expect(200);
      const bad = await agent
        .post('/vendors')
        .type('form')
        .send({ _csrf: csrfOf(form.text), _once: formKeyOf(form.text), name: 'Fine name', website: 'acme dot com' })
        .expect(400);
      expect(errorOf(bad.text, 'v-web')).toBe('Enter a web address such as https://example.com');
      const taken = await agent
        .post('/vendors')
        .type('form')
        .send({ _csrf: csrfOf(form.text), _once: formKeyOf(bad.text), name: existing.name.toUpperCase() })
        .expect(409);
      expect(errorOf(taken.text, 'v-name')).toBeTruthy();
      expect(await vendorsNamed('Fine name')).toEqual([]);
      expect(await vendorsNamed(existing.name)).toHaveLength(1);
    });

    it("security attestations are IT's: a marketer who sends one is refused (403) and nothing is written; IT sets them", async () => {
      const vendor = await makeVendor(testApp, cast.marketer);
      const marketer = await signIn(testApp, cast.marketer);
      const edit = await marketer.get(`/vendors/${vendor.id}/edit`).expect(200);
      const refused = await marketer
        .post(`/vendors/${vendor.id}`)
        .type('form')
        .send({
          _csrf: csrfOf(edit.text),
          version: String(vendor.version),
          name: vendor.name,
          website: '',
          notes: 'renamed?',
          dpaSigned: 'on',
        })
        .expect(403);
      expect(errorOf(refused.text, 'v-attest')).toBe(
        'Only IT, the CIO or an administrator may record security attestations (SOC 2, ISO 27001, DPA).',
      );
      expect((await vendorsNamed(vendor.name))[0]).toMatchObject({ dpaSigned: false, notes: null, version: vendor.version });

      const it = await signIn(testApp, cast.it);
      const itEdit = await it.get(`/vendors/${vendor.id}/edit`).expect(200);
      expect(itEdit.text).not.toMatch(/<fieldset id="v-attest" disabled/);
      await it
        .post(`/vendors/${vendor.id}`)
        .type('form')
        .send({
          _csrf: csrfOf(itEdit.text),
          version: String(vendor.version),
          name: vendor.name,
          website: '',
          notes: 'DPA on file',
          dpaSigned: 'on',
          soc2: 'on',
        })
        .expect(303);
      expect((await vendorsNamed(vendor.name))[0]).toMatchObject({
        dpaSigned: true,
        soc2: true,
        iso27001: false,
        notes: 'DPA on file',
        version: vendor.version + 1,
      });
      // A stale version is refused in words and changes nothing.
      const stale = await it
        .post(`/vendors/${vendor.id}`)
        .type('form')
        .send({ _csrf: csrfOf(itEdit.text), version: String(vendor.version), name: vendor.name, notes: 'again' })
        .expect(409);
      expect(stale.text).toContain('Someone changed this meanwhile');
      expect((await vendorsNamed(vendor.name))[0].notes).toBe('DPA on file');
    });

    it('finance, who may not write vendors, is refused (403) and the list offers them no form', async () => {
      const agent = await signIn(testApp, cast.finance);
      const list = await agent.get('/vendors').expect(200);
      expect(list.text).not.toContain('href="/vendors/new"');
      await agent.get('/vendors/new').expect(403);
      await agent
        .post('/vendors')
        .type('form')
        .send({ _csrf: csrfOf(list.text), name: 'Finance Vendor' })
        .expect(403);
      expect(await vendorsNamed('Finance Vendor')).toEqual([]);
    });
  });

  describe('data flows from a tool page', () => {
    let crm: { id: string; name: string };
    let email: { id: string; name: string };
    const flowsOf = async (toolId: string) =>
      (await testApp.http().get(`/api/v1/integrations?toolId=${toolId}`).set(cast.it.auth).expect(200)).body.items;

    beforeAll(async () => {
      crm = await makeTool(testApp, cast.marketer, { budgetOwnerId: cc.id });
      email = await makeTool(testApp, cast.marketer, { budgetOwnerId: cc.id });
    });

    it('a marketer maps a flow into the tool, edits it and retires it, all from the tool page', async () => {
      const agent = await signIn(testApp, cast.marketer);
      const toolPage = await agent.get(`/tools/${email.id}`).expect(200);
      expect(toolPage.text).toContain(`href="/tools/${email.id}/integrations/new"`);
      const form = await agent.get(`/tools/${email.id}/integrations/new`).expect(200);
      const mapped = await agent
        .post(`/tools/${email.id}/integrations`)
        .type('form')
        .send({
          _csrf: csrfOf(form.text),
          _once: formKeyOf(form.text),
          direction: 'INBOUND',
          otherToolId: crm.id,
          dataObjects: 'contacts, consent',
          method: 'API',
          frequency: 'DAILY',
          status: 'ACTIVE',
          carriesPersonalData: 'on',
          ownerId: '',
          notes: '',
        })
        .expect(303);
      expect(mapped.headers.location).toBe(`/tools/${email.id}`);
      const [flow] = await flowsOf(email.id);
      expect(flow).toMatchObject({
        sourceToolId: crm.id,
        targetToolId: email.id,
        dataObjects: ['contacts', 'consent'],
        method: 'API',
        carriesPersonalData: true,
        status: 'ACTIVE',
      });
      const after = await agent.get(`/tools/${email.id}`).expect(200);
      expect(after.text).toContain(`href="/integrations/${flow.id}/edit?tool=${email.id}"`);

      const edit = await agent.get(`/integrations/${flow.id}/edit?tool=${email.id}`).expect(200);
      await agent
        .post(`/integrations/${flow.id}`)
        .type('form')
        .send({
          _csrf: csrfOf(edit.text),
          version: String(flow.version),
          tool: email.id,
          dataObjects: 'contacts',
          method: 'API',
          frequency: 'HOURLY',
          status: 'ACTIVE',
          ownerId: '',
          notes: 'Nightly was too slow',
        })
        .expect(303);
      const [edited] = await flowsOf(email.id);
      expect(edited).toMatchObject({
        dataObjects: ['contacts'],
        frequency: 'HOURLY',
        carriesPersonalData: false,
        notes: 'Nightly was too slow',
        version: flow.version + 1,
      });

      const retired = await agent
        .post(`/integrations/${flow.id}/retire`)
        .type('form')
        .send({ _csrf: csrfOf(edit.text), version: String(edited.version), tool: email.id })
        .expect(303);
      expect(retired.headers.location).toBe(`/tools/${email.id}`);
      expect((await bannersAfter(agent, retired)).notice).toBe(`The flow ${crm.name} → ${email.name} is retired`);
      expect((await flowsOf(email.id))[0].status).toBe('RETIRED');
    });

    it('a second live flow with the same method and no tool chosen are worded next to their fields; nothing is mapped', async () => {
      const agent = await signIn(testApp, cast.it);
      const form = await agent.get(`/tools/${crm.id}/integrations/new`).expect(200);
      const base = {
        _csrf: csrfOf(form.text),
        direction: 'OUTBOUND',
        otherToolId: email.id,
        dataObjects: 'leads',
        method: 'NATIVE',
        frequency: 'REALTIME',
        status: 'ACTIVE',
      };
      await agent
        .post(`/tools/${crm.id}/integrations`)
        .type('form')
        .send({ ...base, _once: formKeyOf(form.text) })
        .expect(303);
      const before = await flowsOf(crm.id);
      const again = await agent.get(`/tools/${crm.id}/integrations/new`).expect(200);
      const dup = await agent
        .post(`/tools/${crm.id}/integrations`)
        .type('form')
        .send({ ...base, _once: formKeyOf(again.text) })
        .expect(409);
      expect(errorOf(dup.text, 'i-method')).toBeTruthy();
      const none = await agent
        .post(`/tools/${crm.id}/integrations`)
        .type('form')
        .send({ ...base, _once: formKeyOf(dup.text), otherToolId: '', dataObjects: '' })
        .expect(400);
      expect(errorOf(none.text, 'i-other')).toBe('Choose one');
      expect(none.text).not.toContain('must be a UUID');
      expect(await flowsOf(crm.id)).toEqual(before);
    });

    it('finance, who may not write data flows, is refused (403) and sees no form links', async () => {
      const agent = await signIn(testApp, cast.finance);
      const page = await agent.get(`/tools/${crm.id}`).expect(200);
      expect(page.text).not.toContain('/integrations/new');
      await agent.get(`/tools/${crm.id}/integrations/new`).expect(403);
      const before = await flowsOf(crm.id);
      await agent
        .post(`/tools/${crm.id}/integrations`)
        .type('form')
        .send({
          _csrf: csrfOf(page.text),
          direction: 'INBOUND',
          otherToolId: email.id,
          dataObjects: 'x',
          method: 'FILE',
          frequency: 'WEEKLY',
        })
        .expect(403);
      await agent
        .post(`/integrations/${before[0].id}/retire`)
        .type('form')
        .send({ _csrf: csrfOf(page.text), version: String(before[0].version) })
        .expect(403);
      expect(await flowsOf(crm.id)).toEqual(before);
    });
  });
});
