/** Slack and Microsoft Teams messages (libs/chat): where they go. Secrets are never logged nor shown. */
export interface ChatSettings {
  /** SLACK_BOT_TOKEN (xoxb-…): chat.postMessage, direct messages, decision buttons, users.lookupByEmail. */
  slackBotToken?: string;
  /** SLACK_WEBHOOK_URL: a Slack incoming webhook, the alternative without a bot (channel messages only). */
  slackWebhookUrl?: string;
  /** SLACK_API_URL: Slack's Web API base (tests point it at their receiver). */
  slackApiUrl: string;
  /** TEAMS_WEBHOOK_URL: a Microsoft Teams incoming webhook or Workflows URL (Adaptive Cards). */
  teamsWebhookUrl?: string;
  /** SLACK_SIGNING_SECRET: verifies every request to POST /slack/interactions; unset = the endpoint answers 404. */
  slackSigningSecret?: string;
}

type Env = Record<string, string | undefined>;

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export function loadChatSettings(
  env: Env,
  str: (env: Env, name: string) => string | undefined,
  problem: (variable: string, message: string) => Error,
): ChatSettings {
  const slackSigningSecret = str(env, 'SLACK_SIGNING_SECRET');
  if (slackSigningSecret !== undefined && !/^\S{16,200}$/.test(slackSigningSecret))
    throw problem(
      'SLACK_SIGNING_SECRET',
      'must be the Slack app\'s signing secret (16 to 200 characters without spaces, "Basic Information" page)',
    );
  const slackBotToken = str(env, 'SLACK_BOT_TOKEN');
  if (slackBotToken && !/^xoxb-[A-Za-z0-9-]{10,}$/.test(slackBotToken))
    throw problem('SLACK_BOT_TOKEN', "must be a Slack bot token (it starts with 'xoxb-')");
  const url = (name: string) => {
    const value = str(env, name);
    if (value && !/^https?:\/\/[^\s]+$/.test(value)) throw problem(name, 'must be an http(s) URL');
    return value;
  };
  const slackApiUrl = url('SLACK_API_URL') ?? DEFAULT_SLACK_API_URL;
  return {
    slackBotToken,
    slackWebhookUrl: url('SLACK_WEBHOOK_URL'),
    slackApiUrl: slackApiUrl.endsWith('/') ? slackApiUrl : `${slackApiUrl}/`,
    teamsWebhookUrl: url('TEAMS_WEBHOOK_URL'),
    slackSigningSecret,
  };
}
