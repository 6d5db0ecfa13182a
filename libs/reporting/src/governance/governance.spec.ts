import { dataSilos, overlapGroups, rankUnusedSeats, unusedSeatsValue } from './governance';

const tool = (id: string, o: Partial<{ lifecycle: string; isSystemOfRecord: boolean }> = {}) => ({
  id,
  name: id,
  lifecycle: 'ACTIVE',
  isSystemOfRecord: false,
  subcategoryId: 's',
  ...o,
});

describe('data silos', () => {
  it('finds isolated tools and tools with no path to a system of record, following flows both ways', () => {
    const tools = [
      tool('crm', { isSystemOfRecord: true }),
      tool('a'),
      tool('b'),
      tool('c'),
      tool('d'),
      tool('e'),
      tool('r', { lifecycle: 'RETIRED' }),
    ];
    const flows = [
      { sourceToolId: 'a', targetToolId: 'crm' },
      { sourceToolId: 'b', targetToolId: 'a' },
      { sourceToolId: 'c', targetToolId: 'd' },
    ];
    expect(dataSilos(tools, flows)).toEqual({ isolated: ['e'], noPathToSystemOfRecord: ['c', 'd', 'e'] });
  });

  it('treats a lone system of record as isolated but not as lacking a path', () => {
    expect(dataSilos([tool('crm', { isSystemOfRecord: true })], [])).toEqual({ isolated: ['crm'], noPathToSystemOfRecord: [] });
  });
});

describe('overlap groups', () => {
  it('groups non-retired tools by subcategory and saves all but the most expensive', () => {
    const groups = overlapGroups([
      { id: 'a', subcategoryId: 'social', lifecycle: 'ACTIVE', annualCostMinor: 100n },
      { id: 'b', subcategoryId: 'social', lifecycle: 'APPROVED', annualCostMinor: 300n },
      { id: 'c', subcategoryId: 'social', lifecycle: 'ACTIVE', annualCostMinor: 50n },
      { id: 'd', subcategoryId: 'email', lifecycle: 'ACTIVE', annualCostMinor: 10n },
      { id: 'e', subcategoryId: 'email', lifecycle: 'RETIRED', annualCostMinor: 10n },
    ]);
    expect(groups).toEqual([{ subcategoryId: 'social', toolIds: ['b', 'a', 'c'], groupCostMinor: 450n, savingMinor: 150n }]);
  });

  it('leaves out subcategories where several vendors are normal (paid media)', () => {
    const tools = [
      { id: 'google-ads', subcategoryId: 'search-social-ads', lifecycle: 'ACTIVE', annualCostMinor: 12194000n },
      { id: 'linkedin-cm', subcategoryId: 'search-social-ads', lifecycle: 'ACTIVE', annualCostMinor: 20000000n },
    ];
    expect(overlapGroups(tools)).toHaveLength(1);
    expect(overlapGroups(tools, new Set(['search-social-ads']))).toEqual([]);
  });
});

describe('unused seats', () => {
  it('values unused seats at the per-seat license cost', () => {
    expect(unusedSeatsValue(100, 60, 1200000n, 100)).toEqual({ unused: 40, perSeatMinor: 12000n, valueMinor: 480000n });
    expect(unusedSeatsValue(3, 1, 100n, 3)).toEqual({ unused: 2, perSeatMinor: 33n, valueMinor: 67n });
    expect(unusedSeatsValue(10, 10, 100n, 10)).toBeNull();
    expect(unusedSeatsValue(10, 2, 100n, 0)).toBeNull();
  });

  it('ranks the tools with unused seats by value, largest first, equal values by tool name', () => {
    const tools = [
      { name: 'Zoom', licensed: 10, active: 8, value: 1000n },
      { name: 'Full', licensed: 5, active: 5, value: 5000n },
      { name: 'Asana', licensed: 10, active: 8, value: 1000n },
      { name: 'Miro', licensed: 10, active: 2, value: 1000n },
      { name: 'No contract', licensed: 10, active: 2, value: 0n },
    ];
    const ranked = rankUnusedSeats(
      tools,
      (tool) => tool.name,
      (tool) => unusedSeatsValue(tool.licensed, tool.active, tool.value, tool.name === 'No contract' ? 0 : 10),
    );
    expect(ranked.map(({ tool, seats }) => [tool.name, seats.unused, seats.valueMinor])).toEqual([
      ['Miro', 8, 800n],
      ['Asana', 2, 200n],
      ['Zoom', 2, 200n],
    ]);
  });
});
