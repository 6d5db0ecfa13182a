import { allocationCodes, parseAllocationCell, RowReader } from './cells';

const ids: Record<string, string> = { MKT: 'cc-mkt', IT: 'cc-it', SALES: 'cc-sales' };
const parse = (cell: string) => {
  const reader = new RowReader({ allocation: cell });
  const shares = parseAllocationCell(reader, 'allocation', (code) => ids[code.toUpperCase()]);
  return { shares, errors: reader.errors.map((e) => e.message) };
};

describe('allocation cells: percent or basis points', () => {
  it('reads basis points as before', () => {
    expect(parse('MKT:6000; IT:4000')).toEqual({
      shares: [
        { costCenterId: 'cc-mkt', shareBps: 6000 },
        { costCenterId: 'cc-it', shareBps: 4000 },
      ],
      errors: [],
    });
  });

  it('reads percent, with spaces and up to two decimals, into exact basis points', () => {
    expect(parse('MKT:60%; IT:40%').shares).toEqual([
      { costCenterId: 'cc-mkt', shareBps: 6000 },
      { costCenterId: 'cc-it', shareBps: 4000 },
    ]);
    expect(parse('MKT: 33.33 %; IT:33.33%; SALES:33.34%').shares?.map((s) => s.shareBps)).toEqual([3333, 3333, 3334]);
    expect(parse('MKT:12,5%; IT:87,5%').shares?.map((s) => s.shareBps)).toEqual([1250, 8750]);
    expect(parse('MKT:100%').shares).toEqual([{ costCenterId: 'cc-mkt', shareBps: 10000 }]);
    // 0.1 + 0.2 style sums stay exact: 0.01 % steps are integers.
    expect(parse('MKT:0.1%; IT:0.2%; SALES:99.7%').shares?.map((s) => s.shareBps)).toEqual([10, 20, 9970]);
  });

  it('names the codes of percent and basis-point cells alike', () => {
    expect(allocationCodes('MKT:60%; IT : 40 %; bad')).toEqual(['MKT', 'IT']);
  });

  it('words every refusal for the reader', () => {
    expect(parse('MKT:60%; IT:30%').errors).toEqual(['allocation: shares must add up to 100%, they add up to 90%']);
    expect(parse('MKT:6000; IT:3000').errors).toEqual([
      'allocation: shares must add up to 10000 basis points (100%), they add up to 9000 basis points (90%)',
    ]);
    expect(parse('MKT:100').errors).toEqual([
      'allocation: shares must add up to 10000 basis points (100%), they add up to 100 basis points (1%); for percent add a % sign, e.g. "MKT:100%"',
    ]);
    expect(parse('MKT:33.333%; IT:66.667%').errors).toEqual([
      'allocation: 33.333% has more than two decimals (0.01% is the smallest share)',
    ]);
    expect(parse('MKT:60.5; IT:39.5').errors[0]).toMatch(/basis points are whole numbers .*write percent/);
    expect(parse('MKT:60%; IT:4000').errors[0]).toMatch(/use one unit in a cell/);
    expect(parse('MKT:0%; IT:100%').errors).toEqual(['allocation: the share of MKT must be more than 0']);
    expect(parse('MKT:50%; mkt:50%').errors).toEqual(['allocation: cost center mkt is listed more than once']);
    expect(parse('NOPE:100%').errors).toEqual(['allocation: unknown cost center NOPE']);
    expect(parse('MKT=60%').errors[0]).toMatch(/"MKT=60%" is not a share; write each share as CODE:percent or CODE:basis points/);
    expect(parse('MKT:-60%').errors[0]).toMatch(/is not a share/);
    expect(parse('MKT:150%; IT:-50%').errors[0]).toMatch(/is not a share/);
    expect(parse('MKT:150%').errors[0]).toMatch(/add up to 100%, they add up to 150%/);
  });

  it('leaves an empty cell empty and an absent column absent', () => {
    expect(parse('').shares).toBeNull();
    const reader = new RowReader({});
    expect(parseAllocationCell(reader, 'allocation', () => 'x')).toBeUndefined();
  });
});
