import { CHAT_ERROR_STATUS, ChatError } from './chat.errors';
import { itAnswersEveryCode } from '../../../test/support/error-table';

describe('ChatError', () => {
  it('has exactly these public codes, each with its HTTP status (never rename a code)', () => {
    expect(CHAT_ERROR_STATUS).toEqual({ CHAT_SETTINGS_INVALID: 422, CHAT_NOT_CONFIGURED: 422 });
  });

  itAnswersEveryCode(CHAT_ERROR_STATUS, (code, message, details) => new ChatError(code, message, details));
});
