import { MatchKind } from '../discovery.enums';
import { knownSaas, MatchableTool, MerchantIndex } from './merchant-index';
import { normaliseMerchant } from './merchant-normaliser';

const tool = (id: string, name: string, vendorName = name, retired = false): MatchableTool => ({ id, name, vendorName, retired });

const CATALOG: MatchableTool[] = [
  tool('hotjar', 'Hotjar'),
  tool('canva', 'Canva', 'Canva Pty Ltd'),
  tool('zoom', 'Zoom', 'Zoom Video Communications'),
  tool('hubspot', 'HubSpot'),
  tool('mailchimp', 'Mailchimp', 'Intuit Mailchimp'),
  tool('semrush', 'Semrush'),
  tool('sprout', 'Sprout Social'),
  tool('ga4', 'Google Analytics 4', 'Google'),
  tool('looker', 'Looker Studio', 'Google'),
  tool('old-buffer', 'Buffer', 'Buffer', true),
  tool('miro', 'Miro', 'RealtimeBoard Inc'),
  tool('leadfeeder', 'Leadfeeder', 'Liidio Oy'),
];

describe('normaliseMerchant', () => {
  it.each([
    ['PAYPAL *HOTJAR', 'hotjar'],
    ['SQ *CANVA', 'canva'],
    ['HOTJAR LTD DUBLIN IE', 'hotjar'],
    ['Zoom.us 888-799-9666', 'zoom'],
    ['ZOOM.US 888-799-9666 CA', 'zoom'],
    ['WWW.CANVA.COM SYDNEY AU', 'canva'],
    ['Semrush Inc. Boston MA', 'semrush'],
    ['FS *Sprout Social, Inc.', 'sprout social'],
    ['PADDLE.NET* LOOM', 'loom'],
    ['Intuit Mailchimp #INV2026041', 'intuit mailchimp'],
    ['HUBSPOT USA, INC. CAMBRIDGE', 'hubspot usa'],
    ['Notion Labs, Inc. San Francisco CA', 'notion'],
    ['ON24 INC', 'on24'],
    ['Café Zürich GmbH', 'cafe zurich'],
    ['  12345 678  ', ''],
    ['AMZN Mktp DE*2K4H71', 'amzn mktp'],
    ['LATER MEDIA INC', 'later media'],
    ['=HYPERLINK("x")', 'hyperlink x'],
  ])('%s → "%s"', (raw, key) => {
    expect(normaliseMerchant(raw)).toBe(key);
  });
});

describe('MerchantIndex.match', () => {
  const index = new MerchantIndex(CATALOG, new Map([['realtime board', 'miro']]));

  it.each<[string, string | null, MatchKind | null]>([
    ['PAYPAL *HOTJAR', 'hotjar', MatchKind.EXACT],
    ['HOTJAR LTD DUBLIN IE', 'hotjar', MatchKind.EXACT],
    ['SQ *CANVA', 'canva', MatchKind.EXACT],
    ['Zoom.us 888-799-9666', 'zoom', MatchKind.EXACT],
    ['ZOOM VIDEO COMMUNICATIONS INC', 'zoom', MatchKind.EXACT], // the vendor's name, one tool
    ['INTUIT MAILCHIMP', 'mailchimp', MatchKind.EXACT],
    ['THE ROCKET SCIENCE GROUP', 'mailchimp', MatchKind.KNOWN], // Mailchimp's billing entity
    ['HUBSPOT USA, INC. CAMBRIDGE', 'hubspot', MatchKind.KNOWN],
    ['HUBSPOT MARKETING PRO', 'hubspot', MatchKind.KNOWN],
    ['LEADFEEDER ENTERPRISE EU', 'leadfeeder', MatchKind.PREFIX],
    ['LEADFEDER', 'leadfeeder', MatchKind.FUZZY],
    ['SEMRUSH.COM 8557936070', 'semrush', MatchKind.EXACT],
    ['Semrsh', null, null], // too short a trigram overlap
    ['SPROUTSOCIAL*SUBSCRIPTION', 'sprout', MatchKind.EXACT],
    ['SPROUT SOCIALS', 'sprout', MatchKind.FUZZY],
    ['REALTIME BOARD', 'miro', MatchKind.ALIAS], // learned when IT linked it
    ['GOOGLE *CLOUD', null, null], // the vendor Google has two tools: ambiguous → candidate
    ['BUFFER PUBLISH', 'old-buffer', MatchKind.KNOWN], // a retired tool still owns its name
    ['PAYPAL *LIVESTORM', null, null], // unknown → candidate
    ['STARBUCKS 1234 SEATTLE WA', null, null],
  ])('%s → %s (%s)', (raw, toolId, how) => {
    const found = index.match(normaliseMerchant(raw));
    expect(found?.toolId ?? null).toBe(toolId);
    expect(found?.how ?? null).toBe(how);
  });

  it('answers the same object for the same key (memoised) and null for an empty key', () => {
    expect(index.match('hotjar')).toBe(index.match('hotjar'));
    expect(index.match('')).toBeNull();
  });

  it('prefers the live tool when a retired one has the same name', () => {
    const twin = new MerchantIndex([tool('a', 'Later', 'Later', true), tool('b', 'LATER ', 'Later Media')]);
    expect(twin.match('later')?.toolId).toBe('b');
  });
});

describe('knownSaas (subcategory suggestions)', () => {
  it.each([
    ['PAYPAL *LIVESTORM', 'Events, Meetings & Webinars'],
    ['SQ *CANVA', 'Content Marketing'],
    ['HOOTSUITE MEDIA INC VANCOUVER', 'Social Media Marketing & Monitoring'],
    ['TYPEFORM SL', 'Interactive Content'],
    ['CALENDLY PREMIUM TEAMS', 'Events, Meetings & Webinars'],
    ['STARBUCKS 1234', undefined],
  ])('%s → %s', (raw, subcategory) => {
    expect(knownSaas(normaliseMerchant(raw))?.subcategory).toBe(subcategory);
  });
});
