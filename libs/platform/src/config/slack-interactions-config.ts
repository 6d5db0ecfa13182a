/** Acting from Slack (libs/chat interactions): the app's signing secret and the Web API it calls back. */
export interface SlackInteractionSettings {
  /** SLACK_SIGNING_SECRET: verifies every request to POST /slack/interactions; unset = the endpoint answers 404. */
  slackSigningSecret?: string;
  /** SLACK_BOT_TOKEN: the bot token (xoxb-…) for users.info, views.open, chat.update and chat.postEphemeral. */
  slackBotToken?: string;
  /** SLACK_API_URL: the Slack Web API base, ending in a slash (tests point it at a local receiver). */
  slackApiUrl: string;
}

type Env = Record<string, string | undefined>;

export function loadSlackInteractionSettings(
  env: Env,
  str: (env: Env, name: string) => string | undefined,
  fail: (variable: string, problem: string) => Error,
): SlackInteractionSettings {
  const slackSigningSecret = str(env, 'SLACK_SIGNING_SECRET');
  if (slackSigningSecret !== undefined && !/^\S{16,200}$/.test(slackSigningSecret))
    throw fail(
      'SLACK_SIGNING_SECRET',
      'must be the Slack app\'s signing secret (16 to 200 characters without spaces, "Basic Information" page)',
    );
  const slackBotToken = str(env, 'SLACK_BOT_TOKEN');
  if (slackBotToken !== undefined && !/^xox[a-z]-\S+$/.test(slackBotToken))
    throw fail('SLACK_BOT_TOKEN', 'must be a Slack bot token (xoxb-…)');
  const apiUrl = str(env, 'SLACK_API_URL') ?? 'https://slack.com/api/';
  if (!/^https?:\/\/[^\s]+$/.test(apiUrl)) throw fail('SLACK_API_URL', 'must be an http(s) URL such as https://slack.com/api/');
  return { slackSigningSecret, slackBotToken, slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` };
}
