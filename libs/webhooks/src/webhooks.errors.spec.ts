import { WEBHOOKS_ERROR_STATUS, WebhooksError } from './webhooks.errors';
import { itAnswersEveryCode } from '../../../test/support/error-table';

describe('WebhooksError', () => {
  it('has exactly these public codes, each with its HTTP status (never rename a code)', () => {
    expect(WEBHOOKS_ERROR_STATUS).toEqual({ WEBHOOK_URL_REFUSED: 422 });
  });

  itAnswersEveryCode(WEBHOOKS_ERROR_STATUS, (code, message, details) => new WebhooksError(code, message, details));
});
