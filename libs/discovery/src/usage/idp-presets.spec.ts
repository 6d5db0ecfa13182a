import { RowReader } from '@stackgate/catalog';
import { detectPreset, IDP_LAYOUTS } from './idp-presets';

const read = (preset: keyof typeof IDP_LAYOUTS, values: Record<string, string>) => {
  const reader = new RowReader(values);
  const record = IDP_LAYOUTS[preset].read(reader);
  return { record, errors: reader.errors };
};

describe('identity-provider presets', () => {
  it('reads an Okta Current Assignments row', () => {
    const { record, errors } = read('okta', {
      User: 'Ada Lovelace',
      Login: 'Ada@Example.com',
      'Application name': 'Slack',
      'Assigned on': '2026-01-10T08:00:00Z',
      'Unassigned on': '',
      'Last login': '2026-11-29T17:45:00Z',
    });
    expect(errors).toEqual([]);
    expect(record).toEqual({
      app: 'Slack',
      user: 'ada@example.com',
      assigned: true,
      activeOn: '2026-11-29',
      seenFrom: '2026-01-10',
      seenTo: '2026-11-29',
    });
  });

  it('reads an Entra sign-in: a failure is neither assignment nor use', () => {
    const ok = read('entra', { 'Date (UTC)': '2026-11-30T10:00:00Z', Username: 'a@x.io', Application: 'Miro', Status: 'Success' });
    expect(ok.record).toMatchObject({ assigned: true, activeOn: '2026-11-30' });
    const failed = read('entra', { 'Date (UTC)': '2026-11-30T10:00:00Z', Username: 'a@x.io', Application: 'Miro', Status: 'Failure' });
    expect(failed.record).toMatchObject({ assigned: null, activeOn: null });
  });

  it('reads Google OAuth events: a revoke ends the grant', () => {
    expect(read('google', { Date: '2026-11-30T10:00:00Z', Event: 'Revoke', Actor: 'a@x.io', 'App name': 'Calendly' }).record).toMatchObject(
      {
        assigned: false,
        activeOn: null,
      },
    );
    expect(read('google', { Date: '2026-11-30', Event: 'authorize', Actor: 'a@x.io', 'App name': 'Calendly' }).record).toMatchObject({
      assigned: true,
      activeOn: '2026-11-30',
    });
  });

  it.each([
    ['okta', { Login: 'a@x.io', 'Application name': '=HYPERLINK("http://evil","Slack")', 'Last login': '2026-11-30' }, 'Application name'],
    ['okta', { Login: '@SUM(1+1)', 'Application name': 'Slack', 'Last login': '2026-11-30' }, 'Login'],
    ['okta', { Login: 'a@x.io', 'Application name': 'Slack', 'Last login': '30/11/2026' }, 'Last login'],
    ['okta', { Login: 'a@x.io', 'Application name': 'Slack', 'Last login': '2999-01-01' }, 'Last login'],
    ['okta', { Login: 'a@x.io', 'Application name': 'Slack', 'Assigned on': '', 'Last login': '' }, null],
    ['entra', { 'Date (UTC)': '2026-11-30', Username: 'a@x.io', Application: 'Miro', Status: 'Maybe' }, 'Status'],
    ['google', { Date: '2026-11-30', Event: 'Delete', Actor: 'a@x.io', 'App name': 'Calendly' }, 'Event'],
    ['google', { Date: '', Event: 'Activity', Actor: 'a@x.io', 'App name': 'Calendly' }, 'Date'],
  ] as const)('%s refuses %j (column %s)', (preset, values, column) => {
    const { record, errors } = read(preset, values);
    expect(record).toBeUndefined();
    expect(errors[0].column).toBe(column);
  });

  it('detects the preset from the headers, in any case', () => {
    expect(detectPreset(['User', 'LOGIN', 'Application name', 'Last login'])).toBe('okta');
    expect(detectPreset(['Date (UTC)', 'Request ID', 'Username', 'Application', 'Status'])).toBe('entra');
    expect(detectPreset(['Date', 'Event', 'Actor', 'App name'])).toBe('google');
    expect(detectPreset(['date', 'merchant', 'amount'])).toBeUndefined();
  });
});
