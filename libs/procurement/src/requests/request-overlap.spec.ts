import { OVERLAP_SAVING_BASIS } from '@stackgate/catalog';
import { overlappingMatches, requestOverlapSaving, requestSavingBasis } from './request-overlap';

const WEBINARS = 'sub-webinars';
const SEARCH_ADS = 'sub-search-ads';
const match = (name: string, subcategoryId: string, subcategoryName: string, sharedCapabilities: string[] = []) => ({
  name,
  subcategoryId,
  subcategoryName,
  sharedCapabilities,
});

describe("a request's overlap candidates use the governance report's overlap rule", () => {
  it('a tool of the same subcategory counts; in a paid-media channel it does not, whatever it shares', () => {
    const forWebinar = [
      match('Webinar tool', WEBINARS, 'Events, Meetings & Webinars'),
      match('LinkedIn Campaign Manager', SEARCH_ADS, 'Search & Social Advertising', ['audiences']),
    ];
    expect(overlappingMatches(forWebinar, WEBINARS).map((m) => m.name)).toEqual(['Webinar tool']);
    // A proposal of Google Ads (search ads) does not overlap LinkedIn Campaign Manager, however many tags they share.
    const forSearchAds = [
      match('LinkedIn Campaign Manager', SEARCH_ADS, 'Search & Social Advertising', ['ads', 'audiences', 'retargeting']),
    ];
    expect(overlappingMatches(forSearchAds, SEARCH_ADS)).toEqual([]);
  });

  it('across subcategories one shared capability ("lead-capture") is not enough; two are', () => {
    const matches = [
      match('Live chat', 'sub-chat', 'Live Chat & Chatbots', ['lead-capture']),
      match('Form builder', 'sub-forms', 'Forms & Surveys', ['lead-capture', 'surveys']),
    ];
    expect(overlappingMatches(matches, WEBINARS).map((m) => m.name)).toEqual(['Form builder']);
    expect(overlappingMatches(matches, null).map((m) => m.name)).toEqual(['Form builder']);
  });

  it('keeps the order it was given', () => {
    const matches = [match('B', WEBINARS, 'Events, Meetings & Webinars'), match('A', WEBINARS, 'Events, Meetings & Webinars')];
    expect(overlappingMatches(matches, WEBINARS).map((m) => m.name)).toEqual(['B', 'A']);
  });
});

describe("a new tool request's estimated saving", () => {
  it('is the group cost minus its most expensive member, the request estimate included, with the basis in words', () => {
    // Request €60,000; overlapping tools €40,000 and €10,000: consolidating onto the €60,000 one saves €50,000.
    expect(requestOverlapSaving(6_000_000n, [4_000_000n, 1_000_000n])).toEqual({
      savingMinor: 5_000_000n,
      groupCostMinor: 11_000_000n,
      basis: requestSavingBasis(2),
    });
    // The most expensive member may be an existing tool: then the request's estimate is what is saved (and the cheaper tools).
    expect(requestOverlapSaving(1_000_000n, [9_000_000n])?.savingMinor).toBe(1_000_000n);
    // A tool without a contract counts as 0.
    expect(requestOverlapSaving(500_000n, [0n])?.savingMinor).toBe(0n);
  });

  it('is absent when nothing overlaps or the estimate has no base-currency value', () => {
    expect(requestOverlapSaving(6_000_000n, [])).toBeNull();
    expect(requestOverlapSaving(null, [100n])).toBeNull();
  });

  it("states the governance report's basis and which amounts form the group", () => {
    expect(requestSavingBasis(1)).toContain(OVERLAP_SAVING_BASIS);
    expect(requestSavingBasis(1)).toContain('the overlapping tool listed');
    expect(requestSavingBasis(3)).toContain('the 3 overlapping tools listed');
  });
});
