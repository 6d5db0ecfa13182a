import { DomainError, ErrorStatusMap, errorCodes } from '@stackgate/platform';

/** The webhooks lib's public error codes (never rename one); generic refusals are the platform's. */
export const WEBHOOKS_ERROR_STATUS = {
  WEBHOOK_URL_REFUSED: 422,
} as const satisfies ErrorStatusMap<string>;
export type WebhooksErrorCode = keyof typeof WEBHOOKS_ERROR_STATUS;
export const WebhooksErrorCode = errorCodes(WEBHOOKS_ERROR_STATUS);

export class WebhooksError extends DomainError<WebhooksErrorCode> {
  constructor(code: WebhooksErrorCode, message: string, details?: unknown) {
    super(WEBHOOKS_ERROR_STATUS, code, message, details);
  }
}
