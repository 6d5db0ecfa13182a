import { MAX_CELL_CHARS, ParsedSheet, SheetCollector, SheetFormatError, SheetLimitError, SheetLimits } from './sheet-limits';
import { scanXml } from './xml-scanner';
import { inflateEntry, readZipDirectory, UnpackBudget, ZipEntry } from './zip-package';

/*
 * Reads the first worksheet of an XLSX file as a stream, within SheetLimits: the package's
 * directory is checked first, each part is inflated through a byte budget, and rows are collected
 * one at a time, so memory follows what the sheet holds (at most IMPORT_MAX_CELLS cells), never
 * the size the file claims or unpacks to.
 *
 * Cell values come out as the import has always read them (ExcelJS's workbook model + cellText):
 * shared, inline and formula strings trimmed, rich text joined, numbers as JavaScript prints
 * them, booleans as true/false, errors and formulas without a cached result as '', and numbers
 * in a date format as YYYY-MM-DD.
 */

/** Built-in number formats that are dates (ECMA-376 §18.8.30, as ExcelJS knows them). */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);
/** Excel allows 64,000 cell formats; more only comes from a crafted file. */
const MAX_STYLES = 65_536;

/** ExcelJS's rule: a format with y, m, d, h, s or b outside quotes and brackets is a date. */
export function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** Excel's serial day number (1900 or 1904 system) as YYYY-MM-DD; null when it is no date. */
export function serialToIsoDate(serial: number, date1904: boolean): string | null {
  const date = new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}

/** "AB12" → 28; 0 when the reference has no column letters. */
export function columnOf(ref: string): number {
  let index = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code >= 65 && code <= 90) index = index * 26 + (code - 64);
    else if (code >= 97 && code <= 122) index = index * 26 + (code - 96);
    else break;
    if (index > 1_000_000) break;
  }
  return index;
}

function resolveTarget(target: string): string {
  const parts: string[] = [];
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

interface Package {
  buf: Buffer;
  entries: Map<string, ZipEntry>;
  budget: UnpackBudget;
}

const part = (pkg: Package, name: string) => inflateEntry(pkg.buf, pkg.entries.get(name)!, pkg.budget);

/** The first sheet (in the workbook's order) and the date system. */
async function readWorkbook(pkg: Package): Promise<{ sheetPart: string | null; sharedStringsPart: string | null; date1904: boolean }> {
  const sheets: string[] = [];
  let date1904 = false;
  if (pkg.entries.has('xl/workbook.xml')) {
    await scanXml(part(pkg, 'xl/workbook.xml'), 'xl/workbook.xml', {
      open(name, attrs) {
        if (name === 'workbookPr') date1904 = attrs.date1904 === '1' || attrs.date1904 === 'true';
        else if (name === 'sheet' && attrs.id && sheets.length < 1000) sheets.push(attrs.id);
      },
      close() {},
      text() {},
    });
  }
  const targets = new Map<string, string>();
  let sharedStringsPart: string | null = null;
  if (pkg.entries.has('xl/_rels/workbook.xml.rels')) {
    await scanXml(part(pkg, 'xl/_rels/workbook.xml.rels'), 'xl/_rels/workbook.xml.rels', {
      open(name, attrs) {
        if (name !== 'Relationship' || !attrs.Target || targets.size >= 10_000) return;
        targets.set(attrs.Id, resolveTarget(attrs.Target));
        if (/\/sharedStrings$/.test(attrs.Type ?? '')) sharedStringsPart = resolveTarget(attrs.Target);
      },
      close() {},
      text() {},
    });
  }
  const first = sheets.length ? targets.get(sheets[0]) : undefined;
  const fallback = [...pkg.entries.keys()]
    .filter((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))[0];
  const sheetPart = first && pkg.entries.has(first) ? first : sheets.length ? null : (fallback ?? null);
  if (!sharedStringsPart && pkg.entries.has('xl/sharedStrings.xml')) sharedStringsPart = 'xl/sharedStrings.xml';
  if (sharedStringsPart && !pkg.entries.has(sharedStringsPart)) sharedStringsPart = null;
  return { sheetPart, sharedStringsPart, date1904 };
}

/** For each cell format (the `s` attribute of a cell), whether it shows a date. */
async function readDateStyles(pkg: Package): Promise<boolean[]> {
  if (!pkg.entries.has('xl/styles.xml')) return [];
  const custom = new Map<number, string>();
  const numFmtIds: number[] = [];
  let inCellXfs = false;
  await scanXml(part(pkg, 'xl/styles.xml'), 'xl/styles.xml', {
    open(name, attrs, selfClosing) {
      if (name === 'numFmt' && custom.size < MAX_STYLES) custom.set(Number(attrs.numFmtId), attrs.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = !selfClosing;
      else if (name === 'xf' && inCellXfs) {
        if (numFmtIds.length >= MAX_STYLES)
          throw new SheetFormatError(`The XLSX file could not be read: it has more than ${MAX_STYLES} cell formats`);
        numFmtIds.push(Number(attrs.numFmtId ?? 0));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  });
  return numFmtIds.map((id) => (custom.has(id) ? isDateFormat(custom.get(id)!) : BUILT_IN_DATE_FORMATS.has(id)));
}

const tooLong = () => new SheetLimitError('cellLength', MAX_CELL_CHARS, `A cell holds more than ${MAX_CELL_CHARS} characters`);

/** The shared string table, each entry trimmed (rich text runs joined; phonetic runs left out). */
async function readSharedStrings(pkg: Package, name: string, limits: SheetLimits): Promise<string[]> {
  const strings: string[] = [];
  let current: string | null = null;
  let inText = false;
  let phonetic = 0;
  await scanXml(part(pkg, name), name, {
    open(tag, _attrs, selfClosing) {
      if (tag === 'si') {
        if (strings.length >= limits.maxSharedStrings) {
          throw new SheetLimitError(
            'sharedStrings',
            limits.maxSharedStrings,
            `The XLSX file has more than ${limits.maxSharedStrings} shared strings`,
          );
        }
        if (selfClosing) strings.push('');
        else current = '';
      } else if (tag === 'rPh') phonetic += selfClosing ? 0 : 1;
      else if (tag === 't' && !selfClosing) inText = current !== null && phonetic === 0;
    },
    close(tag) {
      if (tag === 'si' && current !== null) {
        strings.push(current.trim());
        current = null;
      } else if (tag === 'rPh') phonetic = Math.max(0, phonetic - 1);
      else if (tag === 't') inText = false;
    },
    text(content) {
      if (!inText || current === null) return;
      if (current.length + content.length > MAX_CELL_CHARS) throw tooLong();
      current += content;
    },
  });
  return strings;
}

/** Streams the sheet's rows into the collector. */
async function readSheet(
  pkg: Package,
  name: string,
  sharedStrings: string[],
  dateStyles: boolean[],
  date1904: boolean,
  sheet: SheetCollector,
): Promise<void> {
  let inSheetData = false;
  let rowNumber = 0;
  let cells: string[] | null = null;
  let column = 0;
  // The cell being read.
  let type = '';
  let style = 0;
  let value: string | null = null;
  let inlineText: string | null = null;
  let collecting: 'v' | 't' | null = null;
  let phonetic = 0;
  const merges: { r1: number; c1: number; r2: number; c2: number }[] = [];

  const cellValue = (): string => {
    const raw = value ?? '';
    switch (type) {
      case 's': {
        const index = Number(raw.trim());
        return Number.isInteger(index) && index >= 0 ? (sharedStrings[index] ?? '') : '';
      }
      case 'inlineStr':
        return (inlineText ?? raw).trim();
      case 'str':
        return raw.trim();
      case 'b':
        return raw.trim() === '' ? '' : parseInt(raw, 10) !== 0 ? 'true' : 'false';
      case 'e':
        return '';
      case 'd':
        return /^\d{4}-\d{2}-\d{2}/.test(raw.trim()) ? raw.trim().slice(0, 10) : raw.trim();
      default: {
        if (raw.trim() === '') return '';
        const number = parseFloat(raw);
        if (Number.isNaN(number)) return raw.trim();
        if (dateStyles[style]) return serialToIsoDate(number, date1904) ?? String(number);
        return String(number);
      }
    }
  };

  const append = (text: string, current: string | null): string => {
    const combined = (current ?? '') + text;
    if (combined.length > MAX_CELL_CHARS) throw tooLong();
    return combined;
  };

  await scanXml(part(pkg, name), name, {
    open(tag, attrs, selfClosing) {
      if (tag === 'sheetData') {
        inSheetData = !selfClosing;
        return;
      }
      if (tag === 'mergeCell' && !inSheetData) {
        addMerge(attrs.ref);
        return;
      }
      if (!inSheetData) return;
      if (tag === 'row') {
        const rowAttr = Number(attrs.r);
        rowNumber = Number.isInteger(rowAttr) && rowAttr >= 1 ? rowAttr : rowNumber + 1;
        cells = [];
        column = 0;
        if (selfClosing) {
          sheet.add(rowNumber, []);
          cells = null;
        }
      } else if (tag === 'c' && cells) {
        const columnAttr = attrs.r ? columnOf(attrs.r) : 0;
        column = columnAttr >= 1 ? columnAttr : column + 1;
        type = attrs.t ?? 'n';
        style = Number(attrs.s ?? 0);
        value = null;
        inlineText = null;
        phonetic = 0;
        if (selfClosing) finishCell();
      } else if (tag === 'v' && cells && !selfClosing) {
        collecting = 'v';
        value = '';
      } else if (tag === 'rPh') {
        if (!selfClosing) phonetic++;
      } else if (tag === 't' && cells && !selfClosing && phonetic === 0) {
        collecting = 't';
        inlineText ??= '';
      }
    },
    close(tag) {
      if (tag === 'sheetData') inSheetData = false;
      else if (!inSheetData || !cells) return;
      else if (tag === 'v' || tag === 't') collecting = null;
      else if (tag === 'rPh') phonetic = Math.max(0, phonetic - 1);
      else if (tag === 'c') finishCell();
      else if (tag === 'row') {
        sheet.add(rowNumber, cells);
        cells = null;
      }
    },
    text(content) {
      if (collecting === 'v') value = append(content, value);
      else if (collecting === 't') inlineText = append(content, inlineText);
    },
  });
  sheet.applyMerges(merges);

  function addMerge(ref: string | undefined): void {
    const match = /^([A-Za-z]+)(\d+):([A-Za-z]+)(\d+)$/.exec(ref ?? '');
    if (!match) return;
    const [r1, r2] = [Number(match[2]), Number(match[4])].sort((a, b) => a - b);
    const [c1, c2] = [columnOf(match[1]), columnOf(match[3])].sort((a, b) => a - b);
    // Each merge fills at least one cell, so IMPORT_MAX_CELLS bounds how many are worth keeping.
    if (merges.length >= sheet.maxCells)
      throw new SheetLimitError('cells', sheet.maxCells, `The file has more than ${sheet.maxCells} non-empty cells`);
    merges.push({ r1, c1, r2, c2 });
  }

  function finishCell(): void {
    collecting = null;
    const text = cellValue();
    if (text === '' || !cells) return;
    // Only cells that hold something count: Excel writes styled empty cells far to the right.
    sheet.checkColumn(column);
    while (cells.length < column - 1) cells.push('');
    cells[column - 1] = text;
  }
}

export async function readXlsx(buf: Buffer, limits: SheetLimits): Promise<ParsedSheet> {
  const pkg: Package = { buf, entries: readZipDirectory(buf), budget: new UnpackBudget(limits.maxUnpackedBytes) };
  const { sheetPart, sharedStringsPart, date1904 } = await readWorkbook(pkg);
  if (!sheetPart) throw new SheetFormatError('The workbook has no worksheet');
  pkg.budget.checkDeclared(
    [sharedStringsPart, 'xl/styles.xml', sheetPart].filter((p): p is string => !!p && pkg.entries.has(p)).map((p) => pkg.entries.get(p)!),
  );
  const dateStyles = await readDateStyles(pkg);
  const sharedStrings = sharedStringsPart ? await readSharedStrings(pkg, sharedStringsPart, limits) : [];
  const sheet = new SheetCollector(limits);
  await readSheet(pkg, sheetPart, sharedStrings, dateStyles, date1904, sheet);
  // Rows normally come in order; a crafted file's need not, and numbering is by row number.
  const rows = sheet.rows;
  for (let i = 1; i < rows.length; i++)
    if (rows[i].row < rows[i - 1].row) {
      rows.sort((a, b) => a.row - b.row);
      break;
    }
  const headers = sheet.headers ?? [];
  while (headers.length && headers[headers.length - 1] === '') headers.pop();
  if (!sheet.headers && !sheet.rows.length) throw new SheetFormatError('The worksheet is empty: the first row must name the columns');
  return { headers, rows: sheet.rows };
}
