import { Role } from '@stackgate/platform';
import { FLASH_COOKIE } from '@stackgate/web';
import { makeCostCenter, makeTool } from '../support/catalog-factories';
import { makeUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bannersAfter, csrfOf, signIn } from '../support/web';

/**
 * Issue 23 §6: the success and error banners a page shows after an action come from the server (a
 * signed, one-time cookie), never from the URL — a link with `?notice=` or `?error=` cannot put a
 * phishing text in a banner the user trusts.
 */
describe('Flash messages come from the server, never from the URL', () => {
  let testApp: TestApp;
  let admin: TestUser;
  let toolId: string;
  const costCenterPath = '/admin/cost-centers';
  const PHISH = 'Your session expired. Re-enter your password at http://evil.example';

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = await makeUser(testApp, [Role.ADMIN]);
    const marketer = await makeUser(testApp, [Role.MARKETER]);
    const cc = await makeCostCenter(testApp, admin, { kind: 'MARKETING' });
    toolId = (await makeTool(testApp, marketer, { budgetOwnerId: cc.id })).id;
  });
  afterAll(async () => testApp?.close());

  it('ignores ?notice= and ?error= on every page that shows banners', async () => {
    const agent = await signIn(testApp, admin);
    const pages = ['/', '/catalog', '/requests', costCenterPath, '/admin/categories', '/admin/users', `/tools/${toolId}`];
    for (const path of pages) {
      const page = await agent.get(`${path}?notice=${encodeURIComponent(PHISH)}&error=${encodeURIComponent(PHISH)}`).expect(200);
      expect({ path, shown: page.text.includes('evil.example') }).toEqual({ path, shown: false });
    }
  });

  it('shows the message an action left once, on the next page, and then forgets it', async () => {
    const agent = await signIn(testApp, admin);
    const page = await agent.get(costCenterPath).expect(200);
    const created = await agent
      .post(costCenterPath)
      .type('form')
      .send({ _csrf: csrfOf(page.text), code: 'FLASH-1', name: 'Flash', kind: 'MARKETING' })
      .expect(303);
    expect(created.headers.location).toBe(costCenterPath);
    const cookie = (created.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${FLASH_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(await bannersAfter(agent, created)).toEqual({ notice: 'Created FLASH-1', error: '' });
    // Shown once: the next page has no banner.
    expect(await bannersAfter(agent, created)).toEqual({ notice: '', error: '' });
  });

  it('refuses a flash cookie the server did not sign (forged or tampered), and clears it', async () => {
    const agent = await signIn(testApp, admin);
    const payload = Buffer.from(JSON.stringify({ notice: PHISH })).toString('base64url');
    for (const value of [payload, `${payload}.forged-signature`, `${payload}.`, '.', 'not base64 at all', `${'A'.repeat(3000)}.x`]) {
      const page = await agent
        .get(costCenterPath)
        .set('Cookie', `${FLASH_COOKIE}=${encodeURIComponent(value)}`)
        .expect(200);
      expect(page.text).not.toContain('evil.example');
      expect(((page.headers['set-cookie'] as unknown as string[] | undefined) ?? []).some((c) => c.startsWith(`${FLASH_COOKIE}=;`))).toBe(
        true,
      );
    }

    // A genuine cookie with its payload swapped for another one keeps the old signature: refused.
    const page = await agent.get(costCenterPath).expect(200);
    const created = await agent
      .post(costCenterPath)
      .type('form')
      .send({ _csrf: csrfOf(page.text), code: 'FLASH-2', name: 'Flash 2', kind: 'MARKETING' })
      .expect(303);
    const genuine = decodeURIComponent(/sg_flash=([^;]+)/.exec((created.headers['set-cookie'] as unknown as string[]).join('\n'))![1]);
    expect((await bannersAfter(agent, created)).notice).toBe('Created FLASH-2'); // consumed: the browser holds no flash now
    const tampered = `${payload}.${genuine.split('.')[1]}`;
    const shown = await agent
      .get(costCenterPath)
      .set('Cookie', `${FLASH_COOKIE}=${encodeURIComponent(tampered)}`)
      .expect(200);
    expect(shown.text).not.toContain('evil.example');
  });

  it('keeps a long error readable without overflowing the cookie', async () => {
    const agent = await signIn(testApp, admin);
    const page = await agent.get(costCenterPath).expect(200);
    const refused = await agent
      .post(costCenterPath)
      .type('form')
      .send({ _csrf: csrfOf(page.text), code: 'x'.repeat(5000), name: 'y'.repeat(5000), kind: 'NOPE' })
      .expect(303);
    const cookie = (refused.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${FLASH_COOKIE}=`))!;
    expect(cookie.length).toBeLessThan(4096);
    const { error } = await bannersAfter(agent, refused);
    expect(error.length).toBeGreaterThan(0);
    expect(error.length).toBeLessThanOrEqual(600);
  });
});
