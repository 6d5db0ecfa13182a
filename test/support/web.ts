import request from 'supertest';
import { TEST_PASSWORD, TestUser } from './factories';
import { TestApp } from './test-app';

export const csrfOf = (html: string): string => {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
};

/** A browser-like agent signed in through the sign-in form (keeps cookies). */
export async function signIn(t: TestApp, u: TestUser) {
  const agent = request.agent(t.app.getHttpServer());
  const page = await agent.get('/login').expect(200);
  const res = await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: u.email, password: TEST_PASSWORD, next: '/' });
  if (res.status !== 303) throw new Error(`sign-in failed for ${u.email}: ${res.status}`);
  return agent;
}
