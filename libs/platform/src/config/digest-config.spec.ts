import { ConfigError, loadConfig } from './app-config';

describe('digest settings', () => {
  const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });

  it('defaults to digests on, Monday from 07:00 UTC', () => {
    expect(load({})).toMatchObject({ digestsEnabled: true, digestDay: 1, digestHour: 7 });
  });

  it('reads weekdays by name, short name or number, and the hour', () => {
    expect(load({ DIGEST_DAY: 'fri', DIGEST_HOUR: '16' })).toMatchObject({ digestDay: 5, digestHour: 16 });
    expect(load({ DIGEST_DAY: 'Sunday' })).toMatchObject({ digestDay: 7 });
    expect(load({ DIGEST_DAY: '3', DIGESTS_ENABLED: 'false' })).toMatchObject({ digestDay: 3, digestsEnabled: false });
  });

  it('refuses what is not a weekday or an hour', () => {
    expect(() => load({ DIGEST_DAY: 'funday' })).toThrow(ConfigError);
    expect(() => load({ DIGEST_DAY: '8' })).toThrow('DIGEST_DAY');
    expect(() => load({ DIGEST_HOUR: '24' })).toThrow('DIGEST_HOUR');
    expect(() => load({ DIGESTS_ENABLED: 'sometimes' })).toThrow('DIGESTS_ENABLED');
  });
});
