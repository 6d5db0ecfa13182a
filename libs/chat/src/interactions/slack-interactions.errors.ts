import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { currentRequestId, DomainError, ErrorStatusMap, errorCodes, toErrorBody } from '@stackgate/platform';

/** The refusals of POST /slack/interactions, before any payload is acted on (Slack sees these; people never do). */
export const SLACK_INTERACTIONS_ERROR_STATUS = {
  SLACK_NOT_CONFIGURED: 404,
  SLACK_SIGNATURE_INVALID: 401,
  SLACK_REQUEST_REPLAYED: 401,
  SLACK_UNSUPPORTED_MEDIA_TYPE: 415,
  SLACK_PAYLOAD_INVALID: 400,
} as const satisfies ErrorStatusMap<string>;
export type SlackInteractionsErrorCode = keyof typeof SLACK_INTERACTIONS_ERROR_STATUS;
export const SlackInteractionsErrorCode = errorCodes(SLACK_INTERACTIONS_ERROR_STATUS);

export class SlackInteractionsError extends DomainError<SlackInteractionsErrorCode> {
  constructor(code: SlackInteractionsErrorCode, message: string, details?: unknown) {
    super(SLACK_INTERACTIONS_ERROR_STATUS, code, message, details);
  }
}

/**
 * The refusals of the Slack endpoint as the API's error JSON, whatever the caller accepts: Slack is a
 * machine, so the web UI's HTML error pages (and its sign-in redirect for a 401) never answer it.
 */
@Catch()
export class SlackJsonErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('SlackInteractions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { body, headers } = toErrorBody(exception, currentRequestId());
    if (body.statusCode >= 500) this.logger.error({ msg: 'Slack interaction failed', err: (exception as Error)?.message });
    if (res.headersSent) return;
    for (const [key, value] of Object.entries(headers ?? {})) res.setHeader(key, value);
    res.status(body.statusCode).json(body);
  }
}
