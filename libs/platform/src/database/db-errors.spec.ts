import { isConnectionError } from './db-errors';

describe('isConnectionError', () => {
  it('counts a Galera node outside the primary component (1047 WSREP not prepared) as unavailable', () => {
    const notPrimary = {
      driverError: { errno: 1047, code: 'ER_UNKNOWN_COM_ERROR', message: 'WSREP has not yet prepared node for application use' },
    };
    expect(isConnectionError(notPrimary)).toBe(true);
    expect(isConnectionError({ driverError: { errno: 1047, code: 'ER_UNKNOWN_COM_ERROR', message: 'Unknown command' } })).toBe(false);
    expect(isConnectionError({ driverError: { errno: 1213, code: 'ER_LOCK_DEADLOCK', message: 'Deadlock found' } })).toBe(false);
  });
});
