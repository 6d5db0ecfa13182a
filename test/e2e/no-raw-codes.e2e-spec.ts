import request from 'supertest';
import { APP_CONFIG, AppConfig, LABELS } from '@stackgate/platform';
import { DEMO_PASSWORD, DEMO_USERS } from '../../apps/api/src/demo/demo-data';
import { seedDemo } from '../../apps/api/src/demo/demo-seed';
import { login } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfOf } from '../support/web';

/*
 * Issue 23 §3: no raw code reaches a reader. Every page the demo stack serves to each role (found by
 * following the links from home), the printable reports and the e-mails are searched for codes in
 * their visible text: UPPER_SNAKE values, enum values in capitals, dotted audit actions, kebab
 * notification events and camelCase report groupings. Attributes, <code>, scripts and what people
 * typed into text areas are not visible text and are left out.
 */

const sets = LABELS as Record<string, Record<string, string>>;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
/**
 * Capitalised enum values a page could leak ("MARKETING", "ACTIVE", the identity-provider source "GOOGLE"); acronyms that
 * are words of their own stay allowed. Text quoted as another system or a person wrote it (a card statement's
 * "GOOGLE ADS" in a spend entry's description) is marked `data-verbatim` and is not searched.
 */
const ALLOWED_CAPITALS = new Set(['IT', 'CMO', 'CIO', 'API', 'SSO', 'DPA']);
const capitals = [...new Set(Object.values(sets).flatMap((set) => Object.keys(set)))].filter(
  (code) => /^[A-Z][A-Z0-9]+$/.test(code) && !ALLOWED_CAPITALS.has(code),
);
const dotted = Object.keys(sets.AuditAction);
const kebab = Object.keys(sets.NotificationEvent);
const camel = Object.keys(sets.SpendGroupBy).filter((code) => /[A-Z]/.test(code));
const RAW_CODE = new RegExp(
  [
    '\\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\\b',
    `\\b(?:${capitals.join('|')})\\b`,
    `(?<![\\w.])(?:${dotted.map(escape).join('|')})(?![\\w.])`,
    `(?<![\\w-])(?:${kebab.map(escape).join('|')})(?![\\w-])`,
    `\\b(?:${camel.join('|')})\\b`,
  ].join('|'),
  'g',
);

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#x27;': "'",
  '&#39;': "'",
  '&#x3D;': '=',
  '&#x60;': '`',
  '&nbsp;': ' ',
};

/** The text a reader sees: no tags or attributes, no scripts/styles, no <code>, no typed text areas, no verbatim quotes. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style|code|textarea|svg)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<(span)\b[^>]*\sdata-verbatim\b[^>]*>[^<]*<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[#\w]+;/g, (entity) => ENTITIES[entity] ?? ' ')
    .replace(/\s+/g, ' ');
}

function rawCodes(text: string): string[] {
  return [...new Set([...text.matchAll(RAW_CODE)].map((match) => match[0]))];
}

/** Pages of the same shape (ids replaced, query keys only) are visited twice at most. */
const shapeOf = (path: string) => {
  const [pathname, query = ''] = path.split('?');
  const keys = [...new URLSearchParams(query).keys()].sort().join('&');
  return `${pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id').replace(/\/\d{4}(-\d{2})?\b/g, '/:n')}?${keys}`;
};
const SKIP = /^\/(api|assets|logout)\b|\/export\b|format=(csv|xlsx)|\.(csv|xlsx|svg|png|js|css)(\?|$)|\/template/;

describe('No raw codes in what a reader sees (demo stack, every role)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp(
      {},
      {
        afterMigrate: async (app) => {
          await seedDemo(app, app.get<AppConfig>(APP_CONFIG));
        },
      },
    );
  });
  afterAll(async () => testApp?.close());

  it('the pattern finds the codes the issue names, and leaves words alone', () => {
    const found = rawCodes(
      'TARGET_NOT_IT_APPROVED NOT_REVIEWED COSTCENTER? costCenter renewal-review-start condition-overdue tool.it_approval_changed MARKETING stage decided',
    );
    expect(found).toEqual(
      expect.arrayContaining([
        'TARGET_NOT_IT_APPROVED',
        'NOT_REVIEWED',
        'costCenter',
        'renewal-review-start',
        'tool.it_approval_changed',
        'MARKETING',
      ]),
    );
    expect(rawCodes('IT approval changed by Chen CIO · Marketing stage decided · Cost center · EUR 1,000 · SSO and DPA')).toEqual([]);
    expect(visibleText('<a href="/x?groupBy=costCenter" title="ACTIVE">Cost center</a><code>NOT_REVIEWED</code>')).toBe(' Cost center ');
    // the identity-provider source code is hunted; a card statement's own words, quoted verbatim, are not
    expect(rawCodes('Source: GOOGLE')).toEqual(['GOOGLE']);
    expect(rawCodes(visibleText('<td>Card/expense: <span data-verbatim>GOOGLE ADS · maya@example.com</span></td>'))).toEqual([]);
  });

  it.each(DEMO_USERS.map((user) => [user.key, user.email] as const))('%s: no page shows a raw code', async (_key, email) => {
    const agent = request.agent(testApp.app.getHttpServer());
    const loginPage = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfOf(loginPage.text), email, password: DEMO_PASSWORD, next: '/' })
      .expect(303);

    const queue = ['/'];
    const seen = new Set<string>(queue);
    const shapes = new Map<string, number>();
    const findings: string[] = [];
    let visited = 0;
    while (queue.length && visited < 120) {
      const path = queue.shift()!;
      const res = await agent.get(path);
      if (res.status !== 200 || !/html/.test(String(res.headers['content-type']))) continue;
      visited++;
      for (const code of rawCodes(visibleText(res.text))) findings.push(`${path}: ${code}`);
      for (const match of res.text.matchAll(/href="(\/[^"#]*)"/g)) {
        const next = match[1].replace(/&amp;/g, '&');
        if (SKIP.test(next) || seen.has(next)) continue;
        const shape = shapeOf(next);
        if ((shapes.get(shape) ?? 0) >= 2) continue;
        shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
        seen.add(next);
        queue.push(next);
      }
    }
    expect(visited).toBeGreaterThan(3);
    expect(findings).toEqual([]);
  });

  it('the reports pages, for every grouping, and the printable reports show no raw code', async () => {
    const token = await login(testApp, 'finance@demo.stackgate.local', DEMO_PASSWORD);
    const agent = request.agent(testApp.app.getHttpServer());
    const loginPage = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfOf(loginPage.text), email: 'finance@demo.stackgate.local', password: DEMO_PASSWORD, next: '/' })
      .expect(303);
    const year = new Date().getUTCFullYear();
    const findings: string[] = [];
    const spend = Object.keys(sets.SpendGroupBy).flatMap((groupBy) =>
      ['committed', 'actual'].map((basis) => `spend?from=${year}-01&to=${year}-12&basis=${basis}&groupBy=${groupBy}`),
    );
    for (const query of [...spend, 'budget-vs-actual', 'renewals?withinDays=365', 'governance']) {
      const printable = await testApp
        .http()
        .get(`/api/v1/reports/${query}${query.includes('?') ? '&' : '?'}format=html`)
        .set({ Authorization: `Bearer ${token}` });
      if (printable.status === 200) for (const code of rawCodes(visibleText(printable.text))) findings.push(`printable ${query}: ${code}`);
      const page = await agent.get(`/reports/${query}`);
      if (page.status === 200) for (const code of rawCodes(visibleText(page.text))) findings.push(`page ${query}: ${code}`);
    }
    expect(findings).toEqual([]);
  });

  it("finance's home page says why actual to date is above committed, in amounts that add up", async () => {
    const agent = request.agent(testApp.app.getHttpServer());
    const loginPage = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfOf(loginPage.text), email: 'finance@demo.stackgate.local', password: DEMO_PASSWORD, next: '/' })
      .expect(303);
    const text = visibleText((await agent.get('/').expect(200)).text);
    const cents = (shown: string) => BigInt(shown.replace(/[^\d]/g, ''));
    const committed = cents(/Committed (€[\d,.]+)/.exec(text)![1]);
    const actual = cents(/Actual to date (€[\d,.]+)/.exec(text)![1]);
    const explained = /Actual to date is (€[\d,.]+) above committed/.exec(text);
    if (actual > committed) {
      expect(explained && cents(explained[1])).toBe(actual - committed);
      // The parts: spend without a contract (with its shadow-IT share) and spend beyond contracts, minus what is still under contract.
      const part = (re: RegExp) => (re.exec(text) ? cents(re.exec(text)![1]) : 0n);
      const without = part(/(€[\d,.]+) was spent on \d+ tools? with no contract/);
      const beyond = part(/(€[\d,.]+) was spent on \d+ tools? beyond what/);
      const under = part(/Other tools are still (€[\d,.]+) under their contracts/);
      expect(without + beyond - under).toBe(actual - committed);
    } else {
      expect(explained).toBeNull();
      expect(text).toContain('so committed is the higher figure');
    }
  });

  it("the demo's spend report (USD card lines among EUR) gives every grouping the same totals and shares", async () => {
    const token = await login(testApp, 'finance@demo.stackgate.local', DEMO_PASSWORD);
    const year = new Date().getUTCFullYear();
    for (const basis of ['committed', 'actual']) {
      const figures = new Set<string>();
      for (const groupBy of Object.keys(sets.SpendGroupBy)) {
        const report = await testApp
          .http()
          .get(`/api/v1/reports/spend?from=${year}-01&to=${year}-12&basis=${basis}&groupBy=${groupBy}`)
          .set({ Authorization: `Bearer ${token}` })
          .expect(200);
        figures.add(JSON.stringify([report.body.totals, report.body.operationsShare, report.body.shadowItShare]));
      }
      expect([basis, [...figures]]).toEqual([basis, [[...figures][0]]]);
    }
  });

  it('no e-mail or inbox line shows a raw code', async () => {
    const rows: { event: string; subject: string; body: string }[] = await testApp.dataSource.query(
      'SELECT event, subject, body FROM notifications',
    );
    expect(rows.length).toBeGreaterThan(0);
    const findings = rows.flatMap((row) => rawCodes(`${row.subject}\n${row.body}`).map((code) => `${row.event}: ${code}`));
    expect(findings).toEqual([]);
  });
});
