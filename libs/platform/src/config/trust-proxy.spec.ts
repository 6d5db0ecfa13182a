import { ConfigError, loadConfig } from './app-config';

const SECRET = 'unit-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, ...env });

describe('TRUST_PROXY', () => {
  it('is off by default and for false/0', () => {
    expect(load({}).trustProxy).toBe(false);
    for (const setting of ['false', 'FALSE', '0', 'off']) expect(load({ TRUST_PROXY: setting }).trustProxy).toBe(false);
  });

  it('takes a hop count, and reads true as one hop (never "believe every X-Forwarded-For entry")', () => {
    expect(load({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(load({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(load({ TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(() => load({ TRUST_PROXY: '11' })).toThrow(ConfigError);
  });

  it('takes a list of proxy addresses, CIDRs and proxy-addr range names', () => {
    expect(load({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.5,loopback, fd00::/8, ::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.5',
      'loopback',
      'fd00::/8',
      '::1',
    ]);
  });

  it('refuses anything else, naming the variable', () => {
    for (const setting of ['maybe', '10.0.0.0/33', '10.0.0/8', '10.0.0.1/8/9', 'fd00::/129', '-1', '1.5']) {
      expect(() => load({ TRUST_PROXY: setting })).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('LOGIN_MAX_FAILURES_PER_ACCOUNT', () => {
  it('defaults to three times LOGIN_MAX_FAILURES and may not be below it', () => {
    expect(load({}).loginMaxFailuresPerAccount).toBe(30);
    expect(load({ LOGIN_MAX_FAILURES: '1000' }).loginMaxFailuresPerAccount).toBe(3000);
    expect(load({ LOGIN_MAX_FAILURES: '5', LOGIN_MAX_FAILURES_PER_ACCOUNT: '5' }).loginMaxFailuresPerAccount).toBe(5);
    expect(() => load({ LOGIN_MAX_FAILURES: '5', LOGIN_MAX_FAILURES_PER_ACCOUNT: '4' })).toThrow(/LOGIN_MAX_FAILURES_PER_ACCOUNT/);
  });
});
