import { DomainError, ErrorStatusMap, errorCodes } from '@stackgate/platform';

/** The chat lib's public error codes (never rename one); generic refusals are the platform's. */
export const CHAT_ERROR_STATUS = {
  /** The settings name an unknown event type or a channel Slack would not accept. */
  CHAT_SETTINGS_INVALID: 422,
  /** A test message to a target that is not configured (no SLACK_BOT_TOKEN/SLACK_WEBHOOK_URL, no TEAMS_WEBHOOK_URL). */
  CHAT_NOT_CONFIGURED: 422,
} as const satisfies ErrorStatusMap<string>;
export type ChatErrorCode = keyof typeof CHAT_ERROR_STATUS;
export const ChatErrorCode = errorCodes(CHAT_ERROR_STATUS);

export class ChatError extends DomainError<ChatErrorCode> {
  constructor(code: ChatErrorCode, message: string, details?: unknown) {
    super(CHAT_ERROR_STATUS, code, message, details);
  }
}
