import { fiscalYearOf, fiscalYearRange } from './fiscal-year';

describe('fiscal years', () => {
  it('names a fiscal year by the calendar year it ends in', () => {
    expect(fiscalYearOf(202604, 4)).toBe(2027);
    expect(fiscalYearOf(202703, 4)).toBe(2027);
    expect(fiscalYearOf(202603, 4)).toBe(2026);
    expect(fiscalYearOf(202612, 1)).toBe(2026);
    expect(fiscalYearOf(202601, 1)).toBe(2026);
    expect(fiscalYearOf(202612, 12)).toBe(2027);
    expect(fiscalYearOf(202611, 12)).toBe(2026);
  });

  it('gives the first and last month of a fiscal year', () => {
    expect(fiscalYearRange(2027, 4)).toEqual({ from: 202604, to: 202703 });
    expect(fiscalYearRange(2026, 1)).toEqual({ from: 202601, to: 202612 });
    expect(fiscalYearRange(2027, 12)).toEqual({ from: 202612, to: 202711 });
  });

  it('agrees with itself for every start month and month', () => {
    for (let start = 1; start <= 12; start++) {
      for (let monthOfYear = 1; monthOfYear <= 12; monthOfYear++) {
        const month = 202600 + monthOfYear;
        const range = fiscalYearRange(fiscalYearOf(month, start), start);
        expect(month >= range.from && month <= range.to).toBe(true);
      }
    }
  });
});
