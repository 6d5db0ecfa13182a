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
  const res = await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: TEST_PASSWORD, next: '/' });
  if (res.status !== 303) throw new Error(`sign-in failed for ${user.email}: ${res.status}`);
  return agent;
}
