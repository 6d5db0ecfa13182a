import request from 'supertest';
import { TEST_PASSWORD, TestUser } from './factories';
import { TestApp } from './test-app';

export const csrfOf = (html: string): string => {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
};

/** A browser-like agent signed in through the sign-in form (keeps cookies). */
export async function signIn(testApp: TestApp, user: TestUser) {
  const agent = request.agent(testApp.app.getHttpServer());
  const page = await agent.get('/login').expect(200);
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfOf(page.text), email: user.email, password: TEST_PASSWORD, next: '/' });
  if (res.status !== 303) throw new Error(`sign-in failed for ${user.email}: ${res.status}`);
  return agent;
}

type Agent = Awaited<ReturnType<typeof signIn>>;

/**
 * Follows a form's 303 answer and returns the one-time messages the page it leads to shows: the
 * confirmation (`notice`) and the alert (`error`), '' when there is none.
 */
export async function bannersAfter(
  agent: Agent,
  redirect: { headers: Record<string, string> },
): Promise<{ notice: string; error: string }> {
  const page = await agent.get(redirect.headers.location).expect(200);
  const text = (re: RegExp) => decodeHtml(re.exec(page.text)?.[1] ?? '');
  return { notice: text(/<p class="notice" role="status">([^<]*)<\/p>/), error: text(/<p class="error" role="alert">([^<]*)<\/p>/) };
}

const decodeHtml = (html: string) =>
  html
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&');
