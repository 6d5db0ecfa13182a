import type { ErrorRequestHandler, RequestHandler } from 'express';
import { raw } from 'express';
import { currentRequestId, toErrorBody } from '@stackgate/platform';

/** Where Slack posts interactions (the Slack app's "Interactivity & Shortcuts" Request URL: <PUBLIC_URL>/slack/interactions). */
export const SLACK_INTERACTIONS_PATH = '/slack/interactions';

/** Slack's payloads are a few kilobytes; more is refused with 413 before any of it is read into memory. */
export const SLACK_BODY_LIMIT_BYTES = 64 * 1024;

/** A refusal of the body (too large, aborted) as the API's error JSON. */
const bodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err);
  const { body, headers } = toErrorBody(err, currentRequestId());
  for (const [key, value] of Object.entries(headers ?? {})) res.setHeader(key, value);
  res.status(body.statusCode).json(body);
};

/**
 * The body of POST /slack/interactions, kept raw (a Buffer on req.body) whatever its content type: the
 * signature is computed over the exact bytes, so no parser may run before it. Mounted on the path ahead
 * of the app's JSON and form parsers, which then leave the request alone.
 */
export function slackInteractionsBody(): (RequestHandler | ErrorRequestHandler)[] {
  return [raw({ type: () => true, limit: SLACK_BODY_LIMIT_BYTES }), bodyErrors];
}
