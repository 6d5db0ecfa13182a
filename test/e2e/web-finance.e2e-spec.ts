import { makeCostCenter, makeTool, makeVendor } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bannersAfter, csrfOf, signIn } from '../support/web';

const formKeyOf = (html: string) => /name="_once" value="([^"]+)"/.exec(html)![1];
const errorOf = (html: string, id: string) => new RegExp(`<p class="field-error" id="${id}-err">([^<]*)</p>`).exec(html)?.[1];
const thisMonth = () => new Date().toISOString().slice(0, 7);
const today = () => new Date().toISOString().slice(0, 10);
const fy = () => new Date().getUTCFullYear();

/** Issue 23 §1: finance's workspace — spend entries, budgets and FX rates written in the web UI, with the API's rules. */
describe('Web: finance writes spend, budgets and FX rates', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let ccA: { id: string; code: string };
  let ccB: { id: string; code: string };
  let vendor: { id: string };
  let otherVendor: { id: string };
  let tool: { id: string; name: string };
  let otherTool: { id: string };

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    [ccA, ccB] = await Promise.all([
      makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' }),
      makeCostCenter(testApp, cast.admin, { kind: 'IT' }),
    ]);
    [vendor, otherVendor] = await Promise.all([makeVendor(testApp, cast.marketer), makeVendor(testApp, cast.marketer)]);
    tool = await makeTool(testApp, cast.marketer, { budgetOwnerId: ccA.id, vendorId: vendor.id });
    otherTool = await makeTool(testApp, cast.marketer, { budgetOwnerId: ccB.id, vendorId: otherVendor.id });
  });
  afterAll(async () => testApp?.close());

  const spendOf = async (toolId: string) =>
    (await testApp.http().get(`/api/v1/spend-entries?toolId=${toolId}`).set(cast.finance.auth).expect(200)).body.items;
  const spendForm = (page: string, over: Record<string, string>) => ({
    _csrf: csrfOf(page),
    _once: formKeyOf(page),
    date: today(),
    toolId: tool.id,
    costType: 'LICENSE',
    amount: '12,000.50',
    currency: 'eur',
    externalRef: '',
    description: 'Annual licence',
    contractId: '',
    cc0: ccA.id,
    pct0: '60',
    cc1: ccB.id,
    pct1: '40 %',
    ...over,
  });

  describe('spend entries', () => {
    it('finance records spend as people type it ("12,000.50", "eur", 60 % / 40 %) and finds it by vendor, cost center, month and source', async () => {
      const agent = await signIn(testApp, cast.finance);
      const page = await agent.get('/finance/spend/new').expect(200);
      const sent = spendForm(page.text, { externalRef: 'INV-1' });
      const saved = await agent.post('/finance/spend').type('form').send(sent).expect(303);
      expect((await bannersAfter(agent, saved)).notice).toBe('Spend recorded');
      // Back, then Save again: the one-time key leads to what was saved; no second entry.
      const again = await agent.post('/finance/spend').type('form').send(sent).expect(303);
      expect((await bannersAfter(agent, again)).notice).toBe('This form was already sent; this is what it saved.');
      expect(await spendOf(tool.id)).toHaveLength(1);
      const [entry] = await spendOf(tool.id);
      expect(entry).toMatchObject({
        amount: { amount: '12000.50', currency: 'EUR' },
        source: 'manual',
        externalRef: 'INV-1',
        allocation: [
          { costCenterId: ccA.id, shareBps: 6000 },
          { costCenterId: ccB.id, shareBps: 4000 },
        ],
      });

      const listed = (q: string) =>
        agent
          .get(`/finance/spend?${q}`)
          .expect(200)
          .then((r) => r.text.includes('/finance/spend/' + entry.id + '/edit'));
      expect(await listed(`vendorId=${vendor.id}`)).toBe(true);
      expect(await listed(`vendorId=${otherVendor.id}`)).toBe(false);
      expect(await listed(`costCenterId=${ccB.id}&source=manual&from=${thisMonth()}&to=${thisMonth()}`)).toBe(true);
      expect(await listed('source=import')).toBe(false);
      expect(await listed(`toolId=${otherTool.id}`)).toBe(false);
      // The same filters on the API (SPEC §8 list filters, extended).
      const api = async (q: string) =>
        (await testApp.http().get(`/api/v1/spend-entries?${q}`).set(cast.cmo.auth).expect(200)).body.items.map((x: { id: string }) => x.id);
      expect(await api(`vendorId=${vendor.id}&costCenterId=${ccA.id}&source=manual`)).toEqual([entry.id]);
      expect(await api(`vendorId=${otherVendor.id}`)).toEqual([]);
      await testApp.http().get('/api/v1/spend-entries?source=email').set(cast.cmo.auth).expect(400);
      await testApp.http().get('/api/v1/spend-entries?vendorId=nope').set(cast.cmo.auth).expect(400);
      const filtered = await agent.get(`/finance/spend?toolId=${tool.id}`).expect(200);
      expect(filtered.text).toContain('1 entry, totalling <strong>€12,000.50</strong>');
      const page2 = await agent.get('/finance/spend').expect(200);
      expect(page2.text).toContain('href="/import?kind=spend-entries"');
    });

    it('a filter that is not a month is worded next to it', async () => {
      const agent = await signIn(testApp, cast.finance);
      const res = await agent.get('/finance/spend?from=last+spring').expect(400);
      expect(errorOf(res.text, 's-from')).toBe('Enter a month such as 2026-04');
    });

    it('refuses "12k", no tool and a 60 % split with words next to each field, and records nothing', async () => {
      const agent = await signIn(testApp, cast.finance);
      const before = (await spendOf(tool.id)).length;
      const page = await agent.get('/finance/spend/new').expect(200);
      const bad = await agent
        .post('/finance/spend')
        .type('form')
        .send(spendForm(page.text, { amount: '12k', toolId: '', cc1: '', pct1: '' }))
        .expect(400);
      expect(errorOf(bad.text, 's-amount')).toBe('Enter an amount such as 60000 or 60,000.00');
      expect(errorOf(bad.text, 's-tool')).toBe('Choose one');
      expect(errorOf(bad.text, 's-allocation')).toBe('The shares must add up to 100 %, each cost center once');
      expect(bad.text).toMatch(/id="s-amount"[^>]*aria-invalid="true"/);
      expect(bad.text).not.toMatch(/basis points|must be a UUID|decimal places than/);
      expect((await spendOf(tool.id)).length).toBe(before);
    });

    it('a duplicate invoice reference is refused next to the reference field; nothing is recorded', async () => {
      const agent = await signIn(testApp, cast.finance);
      const before = (await spendOf(tool.id)).length;
      const page = await agent.get('/finance/spend/new').expect(200);
      const dup = await agent
        .post('/finance/spend')
        .type('form')
        .send(spendForm(page.text, { externalRef: 'INV-1' }))
        .expect(409);
      expect(errorOf(dup.text, 's-ref')).toContain('INV-1');
      expect((await spendOf(tool.id)).length).toBe(before);
    });

    it('finance edits an entry with the version it read; a stale version is refused in words and changes nothing', async () => {
      const agent = await signIn(testApp, cast.finance);
      const [entry] = await spendOf(tool.id);
      const page = await agent.get(`/finance/spend/${entry.id}/edit`).expect(200);
      expect(page.text).toContain('value="12000.50"');
      const form = {
        _csrf: csrfOf(page.text),
        version: String(entry.version),
        date: entry.date,
        toolId: tool.id,
        costType: 'LICENSE',
        amount: '9,500',
        currency: 'EUR',
        externalRef: 'INV-1',
        description: '',
        contractId: '',
        cc0: '',
        pct0: '',
      };
      await agent.post(`/finance/spend/${entry.id}`).type('form').send(form).expect(303);
      const [after] = await spendOf(tool.id);
      expect(after).toMatchObject({
        amount: { amount: '9500.00', currency: 'EUR' },
        description: null,
        allocation: null,
        version: entry.version + 1,
      });
      const stale = await agent
        .post(`/finance/spend/${entry.id}`)
        .type('form')
        .send({ ...form, amount: '1' })
        .expect(409);
      expect(stale.text).toContain('Someone changed this meanwhile');
      expect((await spendOf(tool.id))[0].amount.amount).toBe('9500.00');
    });

    it('finance deletes an entry; the other readers see spend but may not write it (403, nothing changed)', async () => {
      const cmo = await signIn(testApp, cast.cmo);
      const list = await cmo.get('/finance/spend').expect(200);
      expect(list.text).not.toContain('Record spend');
      await cmo.get('/finance/spend/new').expect(403);
      const [entry] = await spendOf(tool.id);
      await cmo
        .post('/finance/spend')
        .type('form')
        .send({ _csrf: csrfOf(list.text), date: today(), toolId: tool.id, costType: 'LICENSE', amount: '5', currency: 'EUR' })
        .expect(403);
      await cmo
        .post(`/finance/spend/${entry.id}/delete`)
        .type('form')
        .send({ _csrf: csrfOf(list.text), version: String(entry.version) })
        .expect(403);
      const marketer = await signIn(testApp, cast.marketer);
      await marketer.get('/finance/spend').expect(403);
      await marketer.get('/finance/budgets').expect(403);
      await marketer.get('/finance/fx-rates').expect(403);
      expect((await spendOf(tool.id)).length).toBe(1);

      const agent = await signIn(testApp, cast.finance);
      const page = await agent.get('/finance/spend').expect(200);
      const gone = await agent
        .post(`/finance/spend/${entry.id}/delete`)
        .type('form')
        .send({ _csrf: csrfOf(page.text), version: String(entry.version) })
        .expect(303);
      expect((await bannersAfter(agent, gone)).notice).toBe('Spend entry deleted with its ledger rows');
      expect(await spendOf(tool.id)).toEqual([]);
    });
  });

  describe('budgets grid', () => {
    const budgetsOf = async () =>
      (await testApp.http().get(`/api/v1/budgets?costCenterId=${ccA.id}`).set(cast.finance.auth).expect(200)).body.items;
    const cellForm = (html: string, ccId: string, year: number) => {
      const match = new RegExp(`<td id="b-${ccId}-${year}"[\\s\\S]*?</td>`).exec(html);
      if (!match) throw new Error(`no budget cell ${ccId} ${year}`);
      return match[0];
    };

    it('finance sets a budget in a cell ("250,000") and edits it; actual and committed stand beside it, an overrun in red', async () => {
      const agent = await signIn(testApp, cast.finance);
      const page = await agent.get('/finance/budgets').expect(200);
      expect(page.text).toContain(`FY${fy()}`);
      const set = await agent
        .post('/finance/budgets')
        .type('form')
        .send({
          _csrf: csrfOf(page.text),
          _once: formKeyOf(page.text),
          costCenterId: ccA.id,
          fiscalYear: String(fy()),
          amount: '250,000',
          from: String(fy() - 1),
        })
        .expect(303);
      expect((await bannersAfter(agent, set)).notice).toBe(`Budget FY${fy()} saved`);
      const [budget] = await budgetsOf();
      expect(budget).toMatchObject({ fiscalYear: fy(), amount: { amount: '250000.00', currency: 'EUR' } });

      // 10,000 of spend on a 5,000 budget: the cell turns red and says by how much.
      const again = await agent.get('/finance/budgets').expect(200);
      await agent
        .post(`/finance/budgets/${budget.id}`)
        .type('form')
        .send({
          _csrf: csrfOf(again.text),
          version: String(budget.version),
          costCenterId: ccA.id,
          fiscalYear: String(fy()),
          amount: '5000',
        })
        .expect(303);
      await testApp
        .http()
        .post('/api/v1/spend-entries')
        .set(cast.finance.auth)
        .send({ date: today(), toolId: tool.id, costType: 'LICENSE', amount: { amount: '10000.00', currency: 'EUR' } })
        .expect(201);
      const grid = await agent.get('/finance/budgets').expect(200);
      const cell = cellForm(grid.text, ccA.id, fy());
      expect(cell).toMatch(/class="num budget-cell over"/);
      expect(cell).toContain('Over budget by €5,000.00');
      expect(cell).toContain('Actual €10,000.00');
      expect(cell).toContain('Committed €0.00');
      expect(cellForm(grid.text, ccB.id, fy())).not.toContain(' over');
    });

    it('an amount that is not one is worded next to its cell, with what was typed kept; nothing is stored', async () => {
      const agent = await signIn(testApp, cast.finance);
      const before = await budgetsOf();
      const page = await agent.get('/finance/budgets').expect(200);
      const bad = await agent
        .post('/finance/budgets')
        .type('form')
        .send({ _csrf: csrfOf(page.text), _once: formKeyOf(page.text), costCenterId: ccA.id, fiscalYear: String(fy() + 1), amount: 'lots' })
        .expect(400);
      expect(errorOf(bad.text, `b-${ccA.id}-${fy() + 1}`)).toBe('Enter an amount such as 60000 or 60,000.00');
      expect(cellForm(bad.text, ccA.id, fy() + 1)).toContain('value="lots"');
      const [budget] = before;
      const stale = await agent
        .post(`/finance/budgets/${budget.id}`)
        .type('form')
        .send({
          _csrf: csrfOf(page.text),
          version: String(budget.version - 1 || 99),
          costCenterId: ccA.id,
          fiscalYear: String(fy()),
          amount: '1',
        })
        .expect(409);
      expect(errorOf(stale.text, `b-${ccA.id}-${fy()}`)).toContain('Someone changed this meanwhile');
      expect(await budgetsOf()).toEqual(before);
    });

    it('the CMO reads the grid without inputs and may not set a budget (403, nothing stored)', async () => {
      const cmo = await signIn(testApp, cast.cmo);
      const page = await cmo.get('/finance/budgets').expect(200);
      expect(page.text).not.toContain('name="amount"');
      const before = await budgetsOf();
      await cmo
        .post('/finance/budgets')
        .type('form')
        .send({ _csrf: csrfOf(page.text), costCenterId: ccB.id, fiscalYear: String(fy()), amount: '1000' })
        .expect(403);
      await cmo
        .post(`/finance/budgets/${before[0].id}`)
        .type('form')
        .send({ _csrf: csrfOf(page.text), version: String(before[0].version), amount: '1' })
        .expect(403);
      expect(await budgetsOf()).toEqual(before);
    });
  });

  describe('FX rates', () => {
    const ratesOf = async () => (await testApp.http().get('/api/v1/fx-rates?currency=USD').set(cast.finance.auth).expect(200)).body.items;

    it('a month the ledger holds dollars in without a rate is highlighted, and the budget grid says which rate it waits for', async () => {
      await testApp
        .http()
        .post('/api/v1/spend-entries')
        .set(cast.finance.auth)
        .send({ date: today(), toolId: otherTool.id, costType: 'LICENSE', amount: { amount: '1000.00', currency: 'USD' } })
        .expect(201);
      const agent = await signIn(testApp, cast.finance);
      const fx = await agent.get('/finance/fx-rates').expect(200);
      expect(fx.text).toContain(`<strong>Missing rates:</strong> USD ${thisMonth()}.`);
      expect(fx.text).toMatch(new RegExp(`<td id="fx-USD-${thisMonth()}" class="missing"`));
      const grid = await agent.get('/finance/budgets').expect(200);
      expect(grid.text).toContain(`FY${fy()}: actual and committed cannot be shown until these FX rates are recorded: USD ${thisMonth()}.`);
    });

    it('refuses a rate that is not a number and a rate for the base currency, next to the field; nothing is stored', async () => {
      const agent = await signIn(testApp, cast.finance);
      const page = await agent.get('/finance/fx-rates').expect(200);
      const bad = await agent
        .post('/finance/fx-rates')
        .type('form')
        .send({ _csrf: csrfOf(page.text), _once: formKeyOf(page.text), currency: 'usd', month: thisMonth(), rate: 'about one' })
        .expect(400);
      expect(errorOf(bad.text, 'fx-rate')).toBeTruthy();
      expect(errorOf(bad.text, 'fx-rate')).not.toMatch(/^rate /);
      const base = await agent
        .post('/finance/fx-rates')
        .type('form')
        .send({ _csrf: csrfOf(page.text), _once: formKeyOf(bad.text), currency: 'EUR', month: thisMonth(), rate: '1' })
        .expect(422);
      expect(errorOf(base.text, 'fx-currency')).toBe('EUR is the base currency and needs no rate');
      expect(await ratesOf()).toEqual([]);
    });

    it('finance adds the missing rate in its cell ("0,92" typed with a comma) and edits it; the CIO may not (403)', async () => {
      const agent = await signIn(testApp, cast.finance);
      const page = await agent.get('/finance/fx-rates').expect(200);
      const cio = await signIn(testApp, cast.cio);
      const cioPage = await cio.get('/finance/fx-rates').expect(200);
      expect(cioPage.text).not.toContain('Record a rate');
      await cio
        .post('/finance/fx-rates')
        .type('form')
        .send({ _csrf: csrfOf(cioPage.text), currency: 'USD', month: thisMonth(), rate: '0.9' })
        .expect(403);
      expect(await ratesOf()).toEqual([]);

      const added = await agent
        .post('/finance/fx-rates')
        .type('form')
        .send({ _csrf: csrfOf(page.text), _once: formKeyOf(page.text), cell: '1', currency: 'USD', month: thisMonth(), rate: '0,92' })
        .expect(303);
      expect((await bannersAfter(agent, added)).notice).toBe(`USD rate for ${thisMonth()} recorded`);
      const [rate] = await ratesOf();
      expect(rate).toMatchObject({ currency: 'USD', month: thisMonth(), rate: '0.92' });
      const after = await agent.get('/finance/fx-rates').expect(200);
      expect(after.text).not.toContain('Missing rates:');
      const grid = await agent.get('/finance/budgets').expect(200);
      expect(grid.text).not.toContain('cannot be shown until');

      await cio
        .post(`/finance/fx-rates/${rate.id}`)
        .type('form')
        .send({ _csrf: csrfOf(cioPage.text), version: String(rate.version), rate: '2' })
        .expect(403);
      const bad = await agent
        .post(`/finance/fx-rates/${rate.id}`)
        .type('form')
        .send({ _csrf: csrfOf(after.text), version: String(rate.version), rate: '-1' })
        .expect(400);
      expect(errorOf(bad.text, `fx-USD-${thisMonth()}`)).toBeTruthy();
      await agent
        .post(`/finance/fx-rates/${rate.id}`)
        .type('form')
        .send({ _csrf: csrfOf(after.text), version: String(rate.version), rate: '0.9315' })
        .expect(303);
      expect((await ratesOf())[0]).toMatchObject({ rate: '0.9315', version: rate.version + 1 });
    });
  });

  it('the Finance navigation entry is there for finance and the report readers, not for marketers', async () => {
    const finance = await signIn(testApp, cast.finance);
    expect((await finance.get('/').expect(200)).text).toContain('href="/finance/spend"');
    const marketer = await signIn(testApp, cast.marketer);
    expect((await marketer.get('/').expect(200)).text).not.toContain('href="/finance/spend"');
  });
});
