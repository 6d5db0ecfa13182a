import { mapParams, MAX_EXPANDED } from './stack-map-params';

const LANE = '0192f0a4-0000-7000-8000-000000000001';
const SUB = '0192f0a4-0000-7000-8000-0000000000aa';
const lanes = [{ id: LANE }];

describe('stack map query', () => {
  it('reads the detail level, the lane and the opened subcategories', () => {
    expect(mapParams({}, lanes)).toEqual({ category: undefined, grouped: undefined, mode: 'auto', expand: new Set() });
    expect(mapParams({ category: LANE }, lanes).mode).toBe('expanded');
    expect(mapParams({ category: LANE, grouped: 'true' }, lanes).mode).toBe('grouped');
    expect(mapParams({ grouped: 'false' }, lanes).mode).toBe('expanded');
    expect(mapParams({ category: '', grouped: '', expand: `${SUB},` }, lanes).expand).toEqual(new Set([SUB]));
  });

  it.each([
    [{ category: 'not-a-lane' }, 'That category is not a lane of the stack map.'],
    [{ category: [LANE, LANE] }, 'Give "category" once.'],
    [{ grouped: 'maybe' }, 'Detail must be automatic, every tool or grouped by subcategory.'],
    [{ expand: "1' or 1=1" }, 'A subcategory to open is not a subcategory id.'],
    [
      { expand: Array.from({ length: MAX_EXPANDED + 1 }, (_, i) => SUB.replace(/aa$/, i.toString(16).padStart(2, '0'))).join(',') },
      'Open at most 50 subcategories at once.',
    ],
  ])('refuses %j with a 400 that says why', (query, message) => {
    let refusal: unknown;
    try {
      mapParams(query, lanes);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toMatchObject({ code: 'VALIDATION_FAILED', message });
  });
});
