import { createHmac } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { makeCostCenter, subcategoryId } from './catalog-factories';
import { makeCast } from './factories';
import { RequestSetup } from './procurement-factories';
import { startTestApp, TestApp } from './test-app';

export interface SlackCall {
  method: string;
  authorization: string | undefined;
  params: Record<string, unknown>;
}

/**
 * Slack's Web API as the interactivity endpoint uses it, on 127.0.0.1: users.info answers from `people`
 * (Slack user id → e-mail and confirmation), views.open, chat.update and chat.postEphemeral answer ok,
 * unless `failures` says otherwise for a method.
 * Every call is recorded with its parameters (the SDK sends a form; JSON-valued fields are parsed).
 */
export async function startSlackApi() {
  const calls: SlackCall[] = [];
  const people = new Map<string, { email?: string; confirmed?: boolean }>();
  /** Methods that fail as Slack fails: `{status: 429}` (rate limited, Retry-After) or `{error}` (200 with ok: false). */
  const failures = new Map<string, { status?: 429; error?: string }>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
      const params: Record<string, unknown> = /json/.test(req.headers['content-type'] ?? '')
        ? JSON.parse(raw || '{}')
        : Object.fromEntries(new URLSearchParams(raw));
      for (const key of ['view', 'blocks']) if (typeof params[key] === 'string') params[key] = JSON.parse(params[key]);
      calls.push({ method, authorization: req.headers.authorization, params });
      const failure = failures.get(method);
      if (failure?.status === 429) {
        res
          .writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '30' })
          .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      let answer: Record<string, unknown> = { ok: true };
      if (failure?.error) answer = { ok: false, error: failure.error };
      else if (method === 'users.info') {
        const person = people.get(String(params.user));
        answer = person
          ? {
              ok: true,
              user: {
                id: params.user,
                deleted: false,
                is_bot: false,
                ...(person.confirmed === undefined ? {} : { is_email_confirmed: person.confirmed }),
                profile: { real_name: 'Slack Person', ...(person.email ? { email: person.email } : {}) },
              },
            }
          : { ok: false, error: 'user_not_found' };
      } else if (method === 'views.open') answer = { ok: true, view: { id: 'V0123456' } };
      else if (method === 'chat.update') answer = { ok: true, channel: params.channel, ts: params.ts };
      else if (method === 'chat.postEphemeral') answer = { ok: true, message_ts: '1767000000.000200' };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    calls,
    people,
    failures,
    url: `http://127.0.0.1:${port}/api/`,
    of: (method: string) => calls.filter((call) => call.method === method),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Signs a body exactly as Slack does ("Verifying requests from Slack"): X-Slack-Signature is `v0=` +
 * hex HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret; X-Slack-Request-Timestamp the
 * Unix time in seconds.
 */
export function slackHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'Content-Type': 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': signature,
  };
}

/** Slack's form body of an interaction: payload=<URL-encoded JSON>. */
export const slackForm = (payload: object) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

let clicks = 0;

/** A block_actions payload: `actionId` clicked on the stage-opened message in `channel`. */
export function buttonClick(slackUserId: string, actionId: string, value: object | string, channel = 'C0REVIEWS') {
  clicks += 1;
  const messageTs = `1767000000.${String(clicks).padStart(6, '0')}`;
  const actions = { type: 'actions', block_id: 'stackgate_decision', elements: [] };
  return {
    type: 'block_actions',
    user: { id: slackUserId, username: 'reviewer', team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: `1337.42.trigger${clicks}`,
    team: { id: 'T0TEAM', domain: 'example' },
    channel: { id: channel, name: 'martech-reviews' },
    message: {
      type: 'message',
      ts: messageTs,
      text: 'A stage opened',
      blocks: [{ type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: '*Buy a webinar tool* waits for you' } }, actions],
    },
    response_url: 'https://hooks.slack.com/actions/T0TEAM/1/xyz',
    actions: [
      {
        action_id: actionId,
        block_id: 'stackgate_decision',
        value: typeof value === 'string' ? value : JSON.stringify(value),
        type: 'button',
        action_ts: `1767000000.${clicks}`,
      },
    ],
  };
}

/** A view_submission payload of the decision modal (with the conditions input when `conditions` is given). */
export function modalSubmission(slackUserId: string, privateMetadata: string, comment: string | null, conditions?: string | null) {
  clicks += 1;
  return {
    type: 'view_submission',
    user: { id: slackUserId, username: 'reviewer', team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    trigger_id: `1337.43.trigger${clicks}`,
    team: { id: 'T0TEAM', domain: 'example' },
    view: {
      id: `V0MODAL${clicks}`,
      type: 'modal',
      callback_id: 'stackgate_decision_modal',
      private_metadata: privateMetadata,
      state: {
        values: {
          ...(conditions === undefined ? {} : { conditions: { conditions: { type: 'plain_text_input', value: conditions } } }),
          comment: { comment: { type: 'plain_text_input', value: comment } },
        },
      },
    },
  };
}

/**
 * The interactivity suites' start: a Slack Web API on 127.0.0.1, an app that trusts `secret` and calls it,
 * the usual cast, and a marketing cost center and subcategory to file requests under.
 */
export async function startSlackInteractionsApp(secret: string, env: Record<string, string> = {}) {
  const slack = await startSlackApi();
  const testApp: TestApp = await startTestApp({
    SLACK_SIGNING_SECRET: secret,
    SLACK_BOT_TOKEN: 'xoxb-test-bot-token',
    SLACK_API_URL: slack.url,
    PUBLIC_URL: 'https://stackgate.example.com',
    ...env,
  });
  const cast = await makeCast(testApp);
  const costCenter = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
  const setup: RequestSetup = { costCenterId: costCenter.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars') };
  return { slack, testApp, cast, setup };
}
