// Hostile spreadsheets of issue 21 (import denial of service), built small: the XLSX files are zip
// packages written by hand whose deflate streams repeat one independently compressed block, so a
// file that unpacks to gigabytes takes a few MB on disk and never more than a few MB of memory to
// build. Shared by test/security/hostile-uploads.e2e-spec.ts and test/security/hostile-upload-bench.js.
'use strict';
const zlib = require('node:zlib');

const MB = 1024 * 1024;
const TOOL_HEADER = ['name', 'vendor', 'subcategory', 'description', 'capabilities', 'lifecycle', 'businessOwnerEmail', 'technicalOwnerEmail',
  'budgetOwnerCode', 'allocation', 'dataClassification', 'ssoEnabled', 'hostingRegion', 'isSystemOfRecord', 'licensedSeats', 'activeUsers', 'website'];

/**
 * One zip entry's data: a list of deflated pieces, each ending on a byte boundary with an empty
 * history (Z_FULL_FLUSH), so a piece may be repeated; `repeat` pieces are { buf, times }.
 */
class DeflatedPart {
  constructor() { this.pieces = []; this.size = 0; this.crc = 0; }
  /** Appends `text` (or a Buffer), `times` times over. */
  add(data, times = 1) {
    const raw = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    const buf = zlib.deflateRawSync(raw, { finishFlush: zlib.constants.Z_FULL_FLUSH, level: 9 });
    this.pieces.push({ buf, times });
    this.size += raw.length * times;
    for (let i = 0; i < times; i++) this.crc = zlib.crc32(raw, this.crc);
    return this;
  }
  /** The raw deflate stream (a final empty block closes it). */
  bytes() {
    const out = [];
    for (const { buf, times } of this.pieces) for (let i = 0; i < times; i++) out.push(buf);
    out.push(zlib.deflateRawSync(Buffer.alloc(0)));
    return Buffer.concat(out);
  }
}

/**
 * A zip package of `entries` ({ name, part: DeflatedPart | string, declaredSize? }); declaredSize
 * lets an entry lie about its unpacked size in both headers (a zip bomb's usual trick).
 */
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const entry of entries) {
    const part = typeof entry.part === 'string' ? new DeflatedPart().add(entry.part) : entry.part;
    const data = part.bytes();
    const name = Buffer.from(entry.name, 'utf8');
    const size = entry.declaredSize ?? part.size;
    if (size > 0xffffffff || data.length > 0xffffffff) throw new Error('zip64 is not needed for these files');
    const common = (buffer, at) => {
      buffer.writeUInt16LE(20, at); buffer.writeUInt16LE(0x0800, at + 2); buffer.writeUInt16LE(8, at + 4); // version, UTF-8 names, deflate
      buffer.writeUInt16LE(0, at + 6); buffer.writeUInt16LE(0x21, at + 8); // time, date (1980-01-01)
      buffer.writeUInt32LE(part.crc >>> 0, at + 10); buffer.writeUInt32LE(data.length, at + 14); buffer.writeUInt32LE(size, at + 18);
      buffer.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); common(local, 4); local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); common(central, 6);
    central.writeUInt16LE(0, 30); central.writeUInt16LE(0, 32); central.writeUInt16LE(0, 34); central.writeUInt16LE(0, 36);
    central.writeUInt32LE(0, 38); central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** A minimal workbook around one worksheet part (and optionally a sharedStrings part). */
function workbook(sheet, opts = {}) {
  const entries = [
    { name: '[Content_Types].xml', part: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      + '<Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      + (opts.sharedStrings
        ? '<Override PartName="/xl/sharedStrings.xml" '
          + 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        : '')
      + '</Types>' },
    { name: '_rels/.rels', part: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>' },
    {
      name: 'xl/workbook.xml',
      part: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook ${NS} ${REL_NS}>`
        + '<sheets><sheet name="tools" sheetId="1" r:id="rId1"/></sheets></workbook>',
    },
    { name: 'xl/_rels/workbook.xml.rels', part: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
      + (opts.sharedStrings ? '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' : '')
      + '</Relationships>' },
  ];
  if (opts.sharedStrings) entries.push({ name: 'xl/sharedStrings.xml', part: opts.sharedStrings, declaredSize: opts.sharedStringsDeclaredSize });
  entries.push({ name: 'xl/worksheets/sheet1.xml', part: sheet, declaredSize: opts.sheetDeclaredSize });
  return zip(entries);
}

const SHEET_START = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ${NS} ${REL_NS}><sheetData>`;
const SHEET_END = '</sheetData></worksheet>';
const inline = (ref, text) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

function columnName(column) {
  let letters = '';
  for (let remaining = column; remaining > 0; remaining = Math.floor((remaining - 1) / 26))
    letters = String.fromCharCode(65 + ((remaining - 1) % 26)) + letters;
  return letters;
}

/** Issue 21 #1: a header row of 16,384 cells (A1..XFD1), then 300 one-cell rows (~50 KB). */
function wideHeaderXlsx() {
  const header = [];
  for (let column = 1; column <= 16384; column++)
    header.push(inline(`${columnName(column)}1`, column <= TOOL_HEADER.length ? TOOL_HEADER[column - 1] : `h${column}`));
  const rows = [];
  for (let row = 2; row <= 301; row++) rows.push(`<row r="${row}">${inline(`A${row}`, `Tool ${row}`)}</row>`);
  return workbook(new DeflatedPart().add(`${SHEET_START}<row r="1">${header.join('')}</row>${rows.join('')}${SHEET_END}`));
}

/** Issue 21 #1: one inline string cell of `mb` MB (1.5 GB by default), sizes declared truthfully. */
function hugeInlineStringXlsx(mb = 1536) {
  const sheet = new DeflatedPart()
    .add(`${SHEET_START}<row r="1">${TOOL_HEADER.slice(0, 3).map((h, i) => inline(`${columnName(i + 1)}1`, h)).join('')}</row>`
      + '<row r="2"><c r="A2" t="inlineStr"><is><t>')
    .add(Buffer.alloc(MB, 'a'), mb)
    .add(`</t></is></c></row>${SHEET_END}`);
  return workbook(sheet);
}

/** Issue 21 #1: 3 GB of whitespace inside the sheet, whose headers claim it unpacks to 4 KB. */
function whitespaceXlsx(mb = 3072) {
  const sheet = new DeflatedPart()
    .add(`${SHEET_START}<row r="1">`)
    .add(Buffer.alloc(MB, ' '), mb)
    .add(`${inline('A1', 'name')}</row>${SHEET_END}`);
  return workbook(sheet, { sheetDeclaredSize: 4096 });
}

/**
 * Issue 21 #1: 2 million shared strings (the sheet uses the first three): rich text runs by
 * default (194 MB unpacked; what killed the server), or one-letter strings (34 MB) with `plain`.
 */
function manySharedStringsXlsx(count = 2_000_000, plain = false) {
  const si = plain ? '<si><t>x</t></si>' : '<si><r><rPr><b/><sz val="11"/></rPr><t>x</t></r><r><rPr><i/></rPr><t>y</t></r><r><t>z</t></r></si>';
  const strings = new DeflatedPart()
    .add(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst ${NS} count="${count}" uniqueCount="${count}">`
      + '<si><t>name</t></si><si><t>vendor</t></si><si><t>subcategory</t></si>')
    .add(si.repeat(1000), Math.ceil((count - 3) / 1000))
    .add('</sst>');
  const sheet = `${SHEET_START}<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>${SHEET_END}`;
  return workbook(new DeflatedPart().add(sheet), { sharedStrings: strings });
}

/** Issue 21 #2: a valid tools header followed by 999,996 empty columns, then 50,000 short rows (~1.6 MB). */
function wideCsv(emptyColumns = 999_996, rows = 50_000) {
  const lines = [TOOL_HEADER.join(',') + ','.repeat(emptyColumns)];
  for (let i = 0; i < rows; i++) lines.push(`W${i},V,CRM`);
  return Buffer.from(lines.join('\n') + '\n');
}

/** A legitimate tools CSV of `rowCount` rows (budget owner `ccCode`), valid in a dry run. */
function toolsCsv(rowCount, ccCode, prefix = 'Bench') {
  const lines = [TOOL_HEADER.join(',')];
  const subs = ['CRM', 'Email Marketing', 'Customer Data Platform', 'SEO', 'Collaboration'];
  for (let i = 0; i < rowCount; i++) {
    lines.push([`${prefix} Tool ${i}`, `${prefix} Vendor ${i % 300}`, subs[i % subs.length],
      i % 3 ? `Row ${i} of the benchmark` : '', i % 2 ? 'email; sms' : '',
      'ACTIVE', '', '', ccCode, '', '', '', '', 'false', String(i % 500), '', i % 8 ? `https://t${i}.example` : ''].join(','));
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/** The hostile files of the issue, by name (each built when asked: the big ones take a second or two). */
const HOSTILE_FILES = {
  'wide-header.xlsx': wideHeaderXlsx,
  'huge-inline-string.xlsx': () => hugeInlineStringXlsx(),
  'whitespace-3gb.xlsx': () => whitespaceXlsx(),
  'shared-strings-2m.xlsx': () => manySharedStringsXlsx(),
  'wide.csv': () => wideCsv(),
};

module.exports = {
  DeflatedPart, zip, workbook, columnName, wideHeaderXlsx, hugeInlineStringXlsx, whitespaceXlsx, manySharedStringsXlsx, wideCsv, toolsCsv,
  HOSTILE_FILES, TOOL_HEADER,
};
