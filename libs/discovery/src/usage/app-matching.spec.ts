import { appMatcher, normaliseAppName } from './app-matching';

describe('normaliseAppName', () => {
  it.each([
    ['Slack', 'slack'],
    ['Slack (SAML)', 'slack'],
    ['Slack - SSO', 'slack'],
    ['Slack – SAML 2.0', 'slack'],
    ['HubSpot, Inc.', 'hubspot'],
    ['Hotjar Ltd', 'hotjar'],
    ['Acme Corp. - SSO', 'acme'],
    ['Semrush™ [OIDC]', 'semrush'],
    ['  Google   Analytics ', 'google analytics'],
    ['monday.com', 'monday com'],
    ['SSO', 'sso'],
  ])('%s → %s', (name, key) => {
    expect(normaliseAppName(name)).toBe(key);
  });
});

describe('appMatcher', () => {
  const match = appMatcher([
    { id: 't1', name: 'Slack', vendorName: 'Slack Technologies' },
    { id: 't2', name: 'Marketing Hub', vendorName: 'HubSpot, Inc.' },
    { id: 't3', name: 'Jira', vendorName: 'Atlassian' },
    { id: 't4', name: 'Confluence', vendorName: 'Atlassian' },
  ]);

  it.each([
    ['SLACK (SAML)', 't1', 'TOOL_NAME'],
    ['slack - sso', 't1', 'TOOL_NAME'],
    ['Slack Technologies Inc', 't1', 'VENDOR_NAME'],
    ['HubSpot', 't2', 'VENDOR_NAME'],
    ['Marketing Hub (SSO)', 't2', 'TOOL_NAME'],
    ['Jira', 't3', 'TOOL_NAME'],
  ])('%s → %s by %s', (app, toolId, by) => {
    expect(match(app)).toMatchObject({ toolId, by });
  });

  it.each(['Atlassian', 'Loom', 'Slack Huddles', '', '(SAML)'])('%p matches nothing', (app) => {
    expect(match(app)).toBeNull();
  });
});
