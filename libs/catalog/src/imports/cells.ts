import { AllocationShare, allocationProblems, controlCharsMessage, hasForbiddenControlChars } from '@stackgate/platform';
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
    const items = raw
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
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

const ALLOCATION_PART = /^(.+?)\s*:\s*(\d{1,5})$/;

/** The cost-center codes an allocation cell names (what the import looks up before reading the rows). */
export function allocationCodes(cell: string): string[] {
  return cell
    .split(';')
    .map((s) => ALLOCATION_PART.exec(s.trim())?.[1].trim())
    .filter((c): c is string => !!c);
}

/** "MKT:6000; IT:4000" (cost-center codes) ⇄ allocation shares; `costCenterId` resolves a code. */
export function parseAllocationCell(
  reader: RowReader,
  column: string,
  costCenterId: (code: string) => string | undefined,
): AllocationShare[] | null | undefined {
  const raw = reader.raw(column);
  if (raw === undefined) return undefined;
  if (raw === '') return null;
  const shares: AllocationShare[] = [];
  for (const part of raw
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = ALLOCATION_PART.exec(part);
    if (!match) {
      reader.fail(column, `${column} must look like "MKT:6000; IT:4000" (cost center code: basis points)`);
      return undefined;
    }
    const id = costCenterId(match[1].trim());
    if (!id) {
      reader.fail(column, `${column}: unknown cost center ${match[1].trim()}`);
      return undefined;
    }
    shares.push({ costCenterId: id, shareBps: Number(match[2]) });
  }
  const problems = allocationProblems(shares);
  if (problems.length) {
    reader.fail(column, `${column}: ${problems.join('; ')}`);
    return undefined;
  }
  return shares;
}

export function formatAllocationCell(allocation: readonly AllocationShare[] | null | undefined, codeById: Map<string, string>): string {
  return (allocation ?? []).map((a) => `${codeById.get(a.costCenterId) ?? a.costCenterId}:${a.shareBps}`).join('; ');
}
