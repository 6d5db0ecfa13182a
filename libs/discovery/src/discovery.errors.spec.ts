import { DISCOVERY_ERROR_STATUS, DiscoveryError } from './discovery.errors';
import { itAnswersEveryCode } from '../../../test/support/error-table';

describe('DiscoveryError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(DISCOVERY_ERROR_STATUS).toEqual({
      CANDIDATE_STATE: 409,
      CANDIDATE_TOOL_RETIRED: 422,
      DISCOVERY_CONFLICT: 409,
      SPEND_MAPPING_EXISTS: 409,
    });
  });

  itAnswersEveryCode(DISCOVERY_ERROR_STATUS, (code, message, details) => new DiscoveryError(code, message, details));
});
