import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { readCsv } from './csv-reader';
import { parseInSubprocess, ROWS_PER_MESSAGE } from './sheet-parser';
import { ParsedSheet, SheetFormatError, SheetLimitError, SheetLimits, SheetTooLargeError } from './sheet-limits';
import { isDateFormat, readXlsx } from './xlsx-reader';
import { DeflatedPart, workbook, zip } from '../../../../../test/security/hostile-files';

const LIMITS: SheetLimits = {
  maxRows: 1000,
  maxColumns: 200,
  maxCells: 100_000,
  maxSharedStrings: 100_000,
  maxUnpackedBytes: 10 * 1024 * 1024,
};
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const sheetXml = (rows: string) =>
  new DeflatedPart().add(`<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${rows}</sheetData></worksheet>`);

/** How the import read XLSX files before the streaming reader (ExcelJS's workbook model + cellText), as the oracle. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const cell = value as { richText?: { text: string }[]; text?: unknown; result?: ExcelJS.CellValue; error?: string };
  if (cell.richText)
    return cell.richText
      .map((r) => r.text)
      .join('')
      .trim();
  if (cell.text !== undefined) return cellText(cell.text as ExcelJS.CellValue);
  if ('result' in cell) return cellText(cell.result);
  return '';
}
async function excelJsModel(buf: Buffer): Promise<ParsedSheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const records: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= ws.actualColumnCount; column++) cells.push(cellText(row.getCell(column).value));
    records[rowNumber - 1] = cells;
  });
  for (let i = 0; i < records.length; i++) records[i] ??= [];
  const [headers, ...data] = records;
  const rows = data.map((cells, i) => ({ row: i + 2, cells })).filter((r) => !r.cells.every((c) => c === ''));
  while (headers.length && headers[headers.length - 1] === '') headers.pop();
  return { headers, rows };
}
/** Drops trailing empty cells: the old reader padded every row to the sheet's width, which the import ignores. */
const trimRows = (s: ParsedSheet) => ({
  headers: s.headers,
  rows: s.rows.map((row) => {
    const cells = [...row.cells];
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    return { row: row.row, cells: cells };
  }),
});

describe('readXlsx', () => {
  it('reads an ExcelJS workbook exactly as the ExcelJS model did: strings, numbers, booleans, dates, formulas, rich text, links, blank rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('tools');
    wb.addWorksheet('second').addRow(['not', 'read']);
    ws.addRow(['name', ' vendor ', 'seats', 'sso', 'since', 'total', '']);
    ws.addRow(['  Tool A ', 'Acme & Co <b>', 12, true, new Date(Date.UTC(2026, 4, 5)), { formula: 'C2*2', result: 24 }]);
    ws.addRow([]);
    ws.addRow(['', '', '', '', '', '']);
    ws.addRow([
      { richText: [{ text: 'Rich ' }, { font: { bold: true }, text: 'Tool' }] },
      { text: 'Linked', hyperlink: 'https://x.example' },
      0.1 + 0.2,
      false,
      '2026-05-05',
      { formula: 'NA()', result: { error: '#N/A' } },
    ]);
    ws.getCell('H5').value = 'beyond the header';
    ws.getCell('E2').numFmt = 'yyyy-mm-dd';
    ws.getCell('C5').numFmt = '0.00';
    ws.addRow(['0012', 'ü€😀', -1e21, null, { formula: 'A1', result: 'name' }]);
    ws.mergeCells('B2:B3'); // a merged cell reads as its master: row 3 is no longer blank
    ws.mergeCells('C6:D6');
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const streamed = await readXlsx(buf, LIMITS);
    expect(trimRows(streamed)).toEqual(trimRows(await excelJsModel(buf)));
    expect(streamed.rows.map((r) => r.row)).toEqual([2, 3, 5, 6]);
    expect(streamed.rows[1].cells).toEqual(['', 'Acme & Co <b>']);
    expect(streamed.rows[3].cells.slice(2, 4)).toEqual(['-1e+21', '-1e+21']);
    expect(streamed.rows[0].cells).toEqual(['Tool A', 'Acme & Co <b>', '12', 'true', '2026-05-05', '24']);
  });

  it('reads inline strings, cells without references, and a sheet that is not sheet1.xml', async () => {
    const rows =
      '<row r="1"><c t="inlineStr"><is><t>name</t></is></c><c t="inlineStr"><is><r><t>ven</t></r><r><t>dor</t></r></is></c></row>' +
      '<row><c t="inlineStr"><is><t xml:space="preserve"> x </t></is></c><c t="str"><f>1</f><v>y</v></c></row>';
    const buf = zip([
      {
        name: 'xl/workbook.xml',
        part: `<workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="a" sheetId="1" r:id="rId7"/></sheets></workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        part: '<Relationships><Relationship Id="rId7" Type="x/worksheet" Target="/xl/worksheets/data.xml"/></Relationships>',
      },
      { name: 'xl/worksheets/data.xml', part: sheetXml(rows) },
    ]);
    expect(await readXlsx(buf, LIMITS)).toEqual({ headers: ['name', 'vendor'], rows: [{ row: 2, cells: ['x', 'y'] }] });
  });

  it('stops at the column, cell, row and shared string limits (merged ranges included), and ignores empty styled cells far right', async () => {
    const wide = workbook(
      sheetXml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="XFD1" s="1"/></row><row r="2"><c r="GR2" t="inlineStr"><is><t>x</t></is></c></row>',
      ),
    );
    await expect(readXlsx(wide, LIMITS)).resolves.toEqual({
      headers: ['name'],
      rows: [
        {
          row: 2,
          cells: [
            ...Array<string>(200)
              .fill('')
              .slice(0, 200 - 1),
            'x',
          ],
        },
      ],
    });
    await expect(readXlsx(wide, { ...LIMITS, maxColumns: 199 })).rejects.toMatchObject({ kind: 'columns', max: 199 });
    const many = workbook(
      sheetXml(
        Array.from({ length: 30 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c><c r="B${i + 1}"><v>1</v></c></row>`).join(
          '',
        ),
      ),
    );
    await expect(readXlsx(many, { ...LIMITS, maxCells: 20 })).rejects.toMatchObject({ kind: 'cells', max: 20 });
    await expect(readXlsx(many, { ...LIMITS, maxRows: 10 })).rejects.toBeInstanceOf(SheetTooLargeError);
    await expect(readXlsx(many, { ...LIMITS, maxRows: 29 })).resolves.toMatchObject({ headers: ['0', '1'] });
    const merged = workbook(
      new DeflatedPart().add(
        `<worksheet ${NS}><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row></sheetData>` +
          '<mergeCells count="1"><mergeCell ref="A2:B100000"/></mergeCells></worksheet>',
      ),
    );
    await expect(readXlsx(merged, { ...LIMITS, maxRows: 1_000_000, maxCells: 5000 })).rejects.toMatchObject({ kind: 'cells', max: 5000 });
    await expect(readXlsx(merged, { ...LIMITS, maxRows: 500, maxCells: 1_000_000 })).rejects.toBeInstanceOf(SheetTooLargeError);
    await expect(readXlsx(merged, { ...LIMITS, maxColumns: 1 })).rejects.toMatchObject({ kind: 'columns' });
    const strings = new DeflatedPart().add(`<sst ${NS}>${'<si><t>s</t></si>'.repeat(11)}</sst>`);
    await expect(readXlsx(workbook(sheetXml(''), { sharedStrings: strings }), { ...LIMITS, maxSharedStrings: 10 })).rejects.toMatchObject({
      kind: 'sharedStrings',
      max: 10,
    });
  });

  it('refuses parts that declare, or really have, more unpacked bytes than the limit; and cells longer than Excel allows', async () => {
    const big = sheetXml(`<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>${' '.repeat(64 * 1024)}`);
    await expect(readXlsx(workbook(big), { ...LIMITS, maxUnpackedBytes: 32 * 1024 })).rejects.toMatchObject({
      kind: 'unpackedSize',
      max: 32 * 1024,
    });
    await expect(readXlsx(workbook(big, { sheetDeclaredSize: 100 }), { ...LIMITS, maxUnpackedBytes: 32 * 1024 })).rejects.toMatchObject({
      kind: 'unpackedSize',
    });
    await expect(readXlsx(workbook(big), { ...LIMITS, maxUnpackedBytes: 128 * 1024 })).resolves.toMatchObject({ headers: ['name'] });
    const long = workbook(
      new DeflatedPart()
        .add(`<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`)
        .add('a'.repeat(40_000))
        .add('</t></is></c></row></sheetData></worksheet>'),
    );
    await expect(readXlsx(long, LIMITS)).rejects.toMatchObject({ kind: 'cellLength' });
  });

  it('answers SheetFormatError for what is not a readable workbook: not a zip, a DTD, broken XML, no sheet', async () => {
    await expect(readXlsx(Buffer.from('not a zip at all, not even close'), LIMITS)).rejects.toBeInstanceOf(SheetFormatError);
    await expect(
      readXlsx(workbook(new DeflatedPart().add(`<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet ${NS}><sheetData/></worksheet>`)), LIMITS),
    ).rejects.toThrow(/document type/);
    await expect(readXlsx(workbook(new DeflatedPart().add(`<worksheet ${NS}><sheetData><row r="1"><c r="A1"`)), LIMITS)).rejects.toThrow(
      /not well-formed/,
    );
    await expect(readXlsx(zip([{ name: 'docProps/app.xml', part: '<x/>' }]), LIMITS)).rejects.toThrow(/no worksheet/);
  });

  it('recognises date formats as ExcelJS does', () => {
    expect(isDateFormat('yyyy-mm-dd')).toBe(true);
    expect(isDateFormat('[Red]0.00')).toBe(false);
    expect(isDateFormat('"day" 0')).toBe(false);
  });
});

describe('readCsv', () => {
  it('numbers rows by record (header = 1), keeps quoted newlines, drops blank rows and the BOM', async () => {
    const csv = Buffer.from('\ufeffname, vendor \n"a\nb",x\n,\n\nc,"y, z"\n');
    expect(await readCsv(csv, LIMITS)).toEqual({
      headers: ['name', 'vendor'],
      rows: [
        { row: 2, cells: ['a\nb', 'x'] },
        { row: 4, cells: ['c', 'y, z'] },
      ],
    });
  });

  it('stops at the column, cell, row and record size limits; broken quoting is a format error', async () => {
    await expect(readCsv(Buffer.from(`a${','.repeat(250)}\n`), LIMITS)).rejects.toMatchObject({ kind: 'columns', max: 200 });
    await expect(readCsv(Buffer.from(`a,b\n${'x,y\n'.repeat(11)}`), { ...LIMITS, maxCells: 20 })).rejects.toMatchObject({ kind: 'cells' });
    await expect(readCsv(Buffer.from(`a,b\n${'x,y\n'.repeat(11)}`), { ...LIMITS, maxRows: 10 })).rejects.toBeInstanceOf(SheetTooLargeError);
    await expect(readCsv(Buffer.from(`a\n"${'x'.repeat(1_100_000)}"\n`), LIMITS)).rejects.toMatchObject({ kind: 'recordLength' });
    await expect(readCsv(Buffer.from('a\n"x"y\n'), LIMITS)).rejects.toBeInstanceOf(SheetFormatError);
    await expect(readCsv(Buffer.from(''), LIMITS)).rejects.toThrow(/empty/);
  });
});

describe('parseInSubprocess', () => {
  jest.setTimeout(60_000);
  const csv = (rows: number) =>
    Buffer.from(`a,b,c,d\n${Array.from({ length: rows }, (_, i) => `row ${i} ${'x'.repeat(40)},${i},${i * 2},y`).join('\n')}`);
  const opts = { limits: { ...LIMITS, maxRows: 1_000_000, maxCells: 10_000_000 }, memoryMb: 256, timeoutMs: 30_000 };

  it('parses in a process of its own and hands the sheet and the limit errors back', async () => {
    const parsed = await parseInSubprocess(csv(3), 'csv', opts);
    expect(parsed.headers).toEqual(['a', 'b', 'c', 'd']);
    expect(parsed.rows).toContainEqual({ row: 4, cells: [`row 2 ${'x'.repeat(40)}`, '2', '4', 'y'] });
    const err = await parseInSubprocess(csv(30), 'csv', { ...opts, limits: { ...opts.limits, maxRows: 10 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SheetTooLargeError);
  });

  it('hands a sheet of several messages back whole and in order (ROWS_PER_MESSAGE rows a message)', async () => {
    const file = csv(2 * ROWS_PER_MESSAGE + 500);
    const parsed = await parseInSubprocess(file, 'csv', opts);
    expect(parsed).toEqual(await readCsv(file, opts.limits));
    expect(parsed.rows.map((r) => r.row)).toEqual(Array.from({ length: 2 * ROWS_PER_MESSAGE + 500 }, (_, i) => i + 2));
  });

  it('turns a parser that runs out of its heap into SheetLimitError(memory), and one that runs too long into SheetLimitError(time)', async () => {
    const big = csv(400_000);
    const oom = await parseInSubprocess(big, 'csv', { ...opts, memoryMb: 16 }).catch((e: unknown) => e);
    expect(oom).toBeInstanceOf(SheetLimitError);
    expect(oom).toMatchObject({ kind: 'memory', max: 16 });
    const slow = await parseInSubprocess(big, 'csv', { ...opts, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(slow).toMatchObject({ kind: 'time' });
  });

  it('keeps its own heap limit when the server runs with a larger --max-old-space-size (HEAP_LIMIT_MB)', () => {
    // A worker thread's resourceLimits lose to a process-wide --max-old-space-size: a thread asked for
    // 16 MB grew past 1 GB under `npm start`. Run the parser from a process started with the server's flags
    // (scripts/server-flags.js with HEAP_LIMIT_MB=1024).
    const script = `
      const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
      const fs = require('node:fs');
      require.extensions['.ts'] = (m, f) => m._compile(transformSync(fs.readFileSync(f, 'utf8'), {
        filename: f, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code, f);
      const { parseInSubprocess } = require(${JSON.stringify(require.resolve('./sheet-parser'))});
      const rows = Array.from({ length: 400000 }, (_, i) => 'row ' + i + ' ' + 'x'.repeat(40) + ',' + i + ',' + i * 2 + ',y');
      const limits = ${JSON.stringify(opts.limits)};
      parseInSubprocess(Buffer.from('a,b,c,d\\n' + rows.join('\\n')), 'csv', { limits, memoryMb: 16, timeoutMs: 50000 })
        .then((sheet) => console.log(JSON.stringify({ parsed: sheet.rows.length })), (err) => console.log(JSON.stringify({ kind: err.kind, max: err.max })));
    `;
    const run = spawnSync(process.execPath, ['--max-old-space-size=1024', '--max-semi-space-size=16', '-e', script], {
      encoding: 'utf8',
      timeout: 55_000,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ kind: 'memory', max: 16 });
  });

  it('answers only once its process is gone, whether it parsed, refused, ran out of heap or out of time', async () => {
    // A child process shows in Node's active resources as its ProcessWrap until it has exited. One left
    // running would hold its memory past IMPORT_PARSE_CONCURRENCY and keep the Jest worker from exiting.
    const processes = () => process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap').length;
    const big = csv(400_000);
    for (const [what, run] of [
      ['parsed', () => parseInSubprocess(csv(3), 'csv', opts)],
      ['refused', () => parseInSubprocess(csv(30), 'csv', { ...opts, limits: { ...opts.limits, maxRows: 10 } })],
      ['out of heap', () => parseInSubprocess(big, 'csv', { ...opts, memoryMb: 16 })],
      ['out of time', () => parseInSubprocess(big, 'csv', { ...opts, timeoutMs: 50 })],
    ] as const) {
      await run().catch(() => undefined);
      expect({ what, processes: processes() }).toEqual({ what, processes: 0 });
    }
  });
});
