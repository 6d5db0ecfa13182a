import { AllocationShare, allocationProblems, controlCharsMessage, FULL_SHARE_BPS, hasForbiddenControlChars } from '@stackgate/platform';
import { CellError } from './import-kind';

/*
 * Cell parsers shared by import kinds: each returns the parsed value or pushes an error
 * naming the column. The export side formats values the same way, so a round trip is exact.
 */

export class RowReader {
  readonly errors: CellError[] = [];
  constructor(readonly values: Record<string, string | undefined>) {}

  /** undefined when the column is absent from the file; '' when the cell is empty. */
  raw(column: string): string | undefined {
    return this.values[column];
  }

  fail(column: string | null, message: string): void {
    this.errors.push({ column, message });
  }

  /** A text cell: one line, like the API's one-line fields, unless `multiline` (descriptions, notes: line breaks and tabs allowed). */
  text(column: string, max: number, required = false, opts: { multiline?: boolean } = {}): string | null | undefined {
    const raw = this.raw(column);
    if (raw === undefined) return undefined;
    if (raw === '') {
      if (required) this.fail(column, `${column} is required`);
      return null;
    }
    if (raw.length > max) {
      this.fail(column, `${column} is longer than ${max} characters`);
      return undefined;
    }
    if (hasForbiddenControlChars(raw, opts)) {
      this.fail(column, controlCharsMessage(column, opts.multiline));
      return undefined;
    }
    return raw;
  }

  bool(column: string): boolean | undefined {
    const raw = this.raw(column);
    if (raw === undefined) return undefined;
    const lower = raw.toLowerCase();
    if (lower === '' || ['false', 'no', '0', 'n'].includes(lower)) return false;
    if (['true', 'yes', '1', 'y'].includes(lower)) return true;
    this.fail(column, `${column} must be true or false`);
    return undefined;
  }

  int(column: string, min: number, max: number): number | null | undefined {
    const raw = this.raw(column);
    if (raw === undefined) return undefined;
    if (raw === '') return null;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      this.fail(column, `${column} must be a whole number from ${min} to ${max}`);
      return undefined;
    }
    return Number(raw);
  }

  oneOf<T extends string>(column: string, values: readonly T[]): T | null | undefined {
    const raw = this.raw(column);
    if (raw === undefined) return undefined;
    if (raw === '') return null;
    const match = values.find((x) => x === raw.toUpperCase());
    if (!match) {
      this.fail(column, `${column} must be one of: ${values.join(', ')}`);
      return undefined;
    }
    return match;
  }

  /** "a; b; c" → ['a', 'b', 'c'] */
  list(column: string, maxItems: number, maxLength: number): string[] | undefined {
    const raw = this.raw(column);
    if (raw === undefined) return undefined;
    const items = cellItems(raw);
    if (items.length > maxItems) {
      this.fail(column, `${column} may list at most ${maxItems} items`);
      return undefined;
    }
    if (items.some((i) => i.length > maxLength)) {
      this.fail(column, `each item of ${column} must be at most ${maxLength} characters`);
      return undefined;
    }
    if (items.some((i) => hasForbiddenControlChars(i))) {
      this.fail(column, controlCharsMessage(column));
      return undefined;
    }
    return items;
  }

  url(column: string, max: number): string | null | undefined {
    const url = this.text(column, max);
    if (url && !/^https?:\/\/[^\s]+$/.test(url)) {
      this.fail(column, `${column} must be an http(s) URL`);
      return undefined;
    }
    return url;
  }
}

export const formatList = (items: readonly string[] | null | undefined) => (items ?? []).join('; ');
export const formatBool = (b: boolean) => (b ? 'true' : 'false');

/** One share of an allocation cell: "MKT:6000" (basis points) or "MKT:60%" / "MKT:33.33 %" (percent, at most two decimals). */
const ALLOCATION_PART = /^(.+?)\s*:\s*(\d+(?:[.,]\d+)?)\s*(%?)$/;

/** The cost-center codes an allocation cell names (what the import looks up before reading the rows). */
export function allocationCodes(cell: string): string[] {
  return cell
    .split(';')
    .map((s) => ALLOCATION_PART.exec(s.trim())?.[1].trim())
    .filter((c): c is string => !!c);
}

/** How an allocation cell is written (the templates' column description starts with it). */
export const ALLOCATION_CELL_HELP =
  'Cost-center code and share, separated by ";", in percent or basis points, adding up to 100%: "MKT:60%; IT:40%" or "MKT:6000; IT:4000"';

const ALLOCATION_SHAPE =
  'write each share as CODE:percent or CODE:basis points, separated by ";", e.g. "MKT:60%; IT:40%" or "MKT:6000; IT:4000"';

/** A share as written: basis points (a whole number) or percent (at most two decimals: 0.01 % is one basis point). */
function shareOf(amount: string, percent: boolean): number | string {
  const decimal = amount.replace(',', '.');
  if (!percent) {
    if (!/^\d+$/.test(decimal)) return `basis points are whole numbers ("${amount}"); for a decimal share write percent, e.g. 33.33%`;
    return Number(decimal);
  }
  const digits = /^(\d+)(?:\.(\d+))?$/.exec(decimal)!;
  if ((digits[2] ?? '').length > 2) return `${amount}% has more than two decimals (0.01% is the smallest share)`;
  // Whole and hundredths read as integers: 33.33% is exactly 3333 basis points, with no floating-point rounding.
  return Number(digits[1]) * 100 + Number((digits[2] ?? '').padEnd(2, '0'));
}

const percentText = (bps: number) => `${(bps / 100).toFixed(2).replace(/\.?0+$/, '')}%`;

/**
 * "MKT:60%; IT:40%" or "MKT:6000; IT:4000" (cost-center codes) → allocation shares; `costCenterId`
 * resolves a code. One cell uses one unit; shares add up to 100 % (10000 basis points).
 */
export function parseAllocationCell(
  reader: RowReader,
  column: string,
  costCenterId: (code: string) => string | undefined,
): AllocationShare[] | null | undefined {
  const cell = reader.raw(column);
  if (cell === undefined) return undefined;
  if (cell === '') return null;
  const shares: AllocationShare[] = [];
  const units = new Set<boolean>();
  for (const part of cellItems(cell)) {
    const match = ALLOCATION_PART.exec(part);
    if (!match) {
      reader.fail(column, `${column}: "${part}" is not a share; ${ALLOCATION_SHAPE}`);
      return undefined;
    }
    const code = match[1].trim();
    const percent = match[3] === '%';
    units.add(percent);
    const share = shareOf(match[2], percent);
    if (typeof share === 'string') {
      reader.fail(column, `${column}: ${share}`);
      return undefined;
    }
    if (share <= 0) {
      reader.fail(column, `${column}: the share of ${code} must be more than 0`);
      return undefined;
    }
    const id = costCenterId(code);
    if (!id) {
      reader.fail(column, `${column}: unknown cost center ${code}`);
      return undefined;
    }
    if (shares.some((s) => s.costCenterId === id)) {
      reader.fail(column, `${column}: cost center ${code} is listed more than once`);
      return undefined;
    }
    shares.push({ costCenterId: id, shareBps: share });
  }
  if (units.size > 1) {
    reader.fail(column, `${column}: use one unit in a cell, percent ("MKT:60%; IT:40%") or basis points ("MKT:6000; IT:4000"), not both`);
    return undefined;
  }
  const sum = shares.reduce((total, s) => total + s.shareBps, 0);
  if (sum !== FULL_SHARE_BPS) {
    const percent = units.has(true);
    const got = percent ? `they add up to ${percentText(sum)}` : `they add up to ${sum} basis points (${percentText(sum)})`;
    // "MKT:100" was meant as 100 %: say how percent is written.
    const hint = !percent && sum === 100 ? '; for percent add a % sign, e.g. "MKT:100%"' : '';
    reader.fail(column, `${column}: shares must add up to ${percent ? '100%' : '10000 basis points (100%)'}, ${got}${hint}`);
    return undefined;
  }
  const problems = allocationProblems(shares);
  if (problems.length) {
    reader.fail(column, `${column}: ${problems.join('; ')}`);
    return undefined;
  }
  return shares.slice(); // as long as its shares (see cellItems)
}

export function formatAllocationCell(allocation: readonly AllocationShare[] | null | undefined, codeById: Map<string, string>): string {
  return (allocation ?? []).map((a) => `${codeById.get(a.costCenterId) ?? a.costCenterId}:${a.shareBps}`).join('; ');
}

/**
 * "a; b; ;c" → ['a', 'b', 'c']. The array is exactly as long as its items: one built by push or filter keeps
 * room for 17, about 150 bytes more per cell, which a plan keeps for every row of a 50,000-row file.
 */
function cellItems(cell: string): string[] {
  const items = cell.split(';').map((s) => s.trim());
  return items.includes('') ? items.filter(Boolean).slice() : items;
}
