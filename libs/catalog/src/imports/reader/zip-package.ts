import * as zlib from 'node:zlib';
import { SheetFormatError, SheetLimitError } from './sheet-limits';

/*
 * Just enough of ZIP (APPNOTE 6.3) to read the parts of an XLSX package safely: the central
 * directory tells each part's compressed and declared unpacked size before anything is inflated,
 * and inflation streams through a byte budget that aborts the moment a part unpacks to more than
 * it may, whatever its headers claim.
 */

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** The unpacked size the directory declares (a crafted file may lie: inflation checks the real one). */
  declaredSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 10_000;
const CHUNK = 64 * 1024;

const broken = (why: string) => new SheetFormatError(`The XLSX file could not be read: ${why}`);

/** The package's entries by name, from its central directory. Throws SheetFormatError when it is not a readable zip. */
export function readZipDirectory(buf: Buffer): Map<string, ZipEntry> {
  if (buf.length < 22) throw broken('it is not a zip package');
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken('it is not a zip package');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw broken('ZIP64 packages are not supported');
  if (count > MAX_ENTRIES) throw broken(`the package has more than ${MAX_ENTRIES} parts`);
  if (cdOffset + cdSize > eocd) throw broken('its central directory is damaged');
  const entries = new Map<string, ZipEntry>();
  let offset = cdOffset;
  for (let i = 0; i < count; i++) {
    if (offset + 46 > eocd || buf.readUInt32LE(offset) !== CENTRAL) throw broken('its central directory is damaged');
    const flags = buf.readUInt16LE(offset + 8);
    const method = buf.readUInt16LE(offset + 10);
    let compressedSize = buf.readUInt32LE(offset + 20);
    let declaredSize = buf.readUInt32LE(offset + 24);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    let localHeaderOffset = buf.readUInt32LE(offset + 42);
    const name = buf.toString('utf8', offset + 46, offset + 46 + nameLength);
    // ZIP64 sizes of single entries (some writers emit them for any size): extra field 0x0001.
    if (declaredSize === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      let extraPos = offset + 46 + nameLength;
      const end = extraPos + extraLength;
      while (extraPos + 4 <= end) {
        const id = buf.readUInt16LE(extraPos);
        const size = buf.readUInt16LE(extraPos + 2);
        if (id === 0x0001) {
          let fieldPos = extraPos + 4;
          const next = () => {
            const value = Number(buf.readBigUInt64LE(fieldPos));
            fieldPos += 8;
            return value;
          };
          if (declaredSize === 0xffffffff) declaredSize = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
          break;
        }
        extraPos += 4 + size;
      }
    }
    if (flags & 0x1) throw broken('encrypted workbooks are not supported');
    entries.set(name.replace(/\\/g, '/').replace(/^\/+/, ''), { name, method, compressedSize, declaredSize, localHeaderOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * How many unpacked bytes the reader may still inflate, across all the parts it reads. Declared
 * sizes are checked up front (so an honest bomb is refused before any work); the real size is
 * counted while inflating.
 */
export class UnpackBudget {
  private used = 0;
  constructor(readonly max: number) {}

  private fail(): never {
    throw new SheetLimitError('unpackedSize', this.max, `The XLSX file unpacks to more than ${this.max} bytes`);
  }

  /** Refuses parts whose declared sizes alone exceed the budget. */
  checkDeclared(entries: ZipEntry[]): void {
    if (entries.reduce((s, e) => s + e.declaredSize, 0) > this.max) this.fail();
  }

  spend(bytes: number): void {
    this.used += bytes;
    if (this.used > this.max) this.fail();
  }
}

/** An entry's unpacked bytes, chunk by chunk, spending `budget` as they come; never holds more than a few chunks. */
export async function* inflateEntry(buf: Buffer, entry: ZipEntry, budget: UnpackBudget): AsyncGenerator<Buffer> {
  const at = entry.localHeaderOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) throw broken(`the part ${entry.name} is damaged`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) throw broken(`the part ${entry.name} is truncated`);
  const data = buf.subarray(start, end);
  if (entry.method === 0) {
    for (let i = 0; i < data.length; i += CHUNK) {
      const chunk = data.subarray(i, i + CHUNK);
      budget.spend(chunk.length);
      yield chunk;
    }
    return;
  }
  if (entry.method !== 8) throw broken(`the part ${entry.name} uses an unsupported compression method (${entry.method})`);
  const inflater = zlib.createInflateRaw({ chunkSize: CHUNK });
  inflater.end(data);
  try {
    // The stream produces output only as fast as it is read, so a bomb is stopped one chunk past the budget.
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      budget.spend(chunk.length);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof SheetLimitError) throw err;
    throw broken(`the part ${entry.name} is damaged (${(err as Error).message})`);
  } finally {
    inflater.destroy();
  }
}
