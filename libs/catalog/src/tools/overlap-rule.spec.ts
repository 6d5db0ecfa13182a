import { isMultiVendorSubcategory, isOverlap, OVERLAP_MIN_SHARED_CAPABILITIES, overlapSavingMinor } from './overlap-rule';

describe('the overlap rule', () => {
  it('a shared subcategory is an overlap, except a paid-media channel where several vendors are normal', () => {
    expect(isOverlap({ sameSubcategory: true, subcategoryName: 'Events, Meetings & Webinars', sharedCapabilities: 0 })).toBe(true);
    expect(isOverlap({ sameSubcategory: true, subcategoryName: 'Search & Social Advertising', sharedCapabilities: 0 })).toBe(false);
    expect(isOverlap({ sameSubcategory: true, subcategoryName: 'Search & Social Advertising', sharedCapabilities: 3 })).toBe(false);
  });

  it('across subcategories, one shared capability is not enough; two are', () => {
    expect(OVERLAP_MIN_SHARED_CAPABILITIES).toBe(2);
    expect(isOverlap({ sameSubcategory: false, subcategoryName: 'Live Chat', sharedCapabilities: 1 })).toBe(false);
    expect(isOverlap({ sameSubcategory: false, subcategoryName: 'Live Chat', sharedCapabilities: 2 })).toBe(true);
    expect(isOverlap({ sameSubcategory: false, subcategoryName: null, sharedCapabilities: 0 })).toBe(false);
  });

  it('knows the multi-vendor subcategories by name', () => {
    expect(isMultiVendorSubcategory('Video Advertising')).toBe(true);
    expect(isMultiVendorSubcategory('CRM')).toBe(false);
    expect(isMultiVendorSubcategory(null)).toBe(false);
  });
});

describe("an overlap group's estimated saving", () => {
  it('is the sum of the annual costs minus the largest (consolidating onto the most expensive tool)', () => {
    expect(overlapSavingMinor([300n, 100n, 200n])).toBe(300n);
    expect(overlapSavingMinor([500n])).toBe(0n);
    expect(overlapSavingMinor([])).toBe(0n);
    expect(overlapSavingMinor([0n, 0n])).toBe(0n);
  });
});
