import type { ColumnLayout, ImportColumn } from '@stackgate/catalog';

/** The generic columns of kind spend-transactions (the contract's names). */
export const SPEND_COLUMNS = ['date', 'merchant', 'amount', 'currency', 'employee', 'costCenter', 'memo', 'reference'] as const;
export type SpendColumn = (typeof SPEND_COLUMNS)[number];

/** How a file writes dates: ISO (YYYY-MM-DD, a time after it is ignored), US (MM/DD/YYYY) or day first (DD/MM/YYYY, DD.MM.YYYY). */
export type DateOrder = 'ISO' | 'MDY' | 'DMY';
export const DATE_ORDERS: readonly DateOrder[] = ['ISO', 'MDY', 'DMY'];

/** How each date order reads to a person (the import page and the saved-mapping form). */
export const DATE_ORDER_WORDS: Record<DateOrder, string> = {
  ISO: 'Year first, 2026-04-30',
  MDY: 'Month first, 04/30/2026',
  DMY: 'Day first, 30/04/2026 or 30.04.2026',
};

export interface SpendPreset {
  name: string;
  /** What a person picks on the import page ("Expensify export"). */
  label: string;
  /** Each generic column's header in the export (a column absent from the export is left out). */
  headers: Partial<Record<SpendColumn, string>>;
  dateOrder: DateOrder;
  /** A full export of another system: headers the preset does not name are ignored. */
  ignoreUnknown: boolean;
  /** The cost-center cell holds the system's department names, not always codes: an unknown one is a note, not an error. */
  lenientCostCenter: boolean;
}

export const GENERIC_COLUMNS: readonly ImportColumn[] = [
  { name: 'date', required: true, description: 'YYYY-MM-DD (a time after it is ignored)', example: '2026-04-30' },
  {
    name: 'merchant',
    required: true,
    description: 'The merchant or payee as the statement writes it',
    example: 'PAYPAL *HOTJAR',
    aliases: ['payee'],
  },
  { name: 'amount', required: true, description: 'Decimal, e.g. 39.00 (negative for a refund)', example: '39.00' },
  { name: 'currency', required: true, description: 'ISO 4217 code', example: 'EUR' },
  { name: 'employee', description: 'Who paid (e-mail or name)', example: 'ana@example.com', aliases: ['cardholder'] },
  {
    name: 'costCenter',
    description: 'Cost center code; empty = the tool’s allocation',
    example: 'MKT',
    aliases: ['cost center', 'costcentre'],
  },
  { name: 'memo', description: 'Free text' },
  {
    name: 'reference',
    description:
      'Transaction id; a line with a reference already imported is left as it is (without one: date, merchant, amount, currency, employee)',
    example: 'TX-2026-0001',
  },
];

/**
 * Column presets of common expense and card exports (their standard CSV layout as documented in the
 * README). The preset maps the export's own headers to the generic columns; other columns of the
 * export are ignored.
 */
export const SPEND_PRESETS: Readonly<Record<string, SpendPreset>> = {
  generic: {
    name: 'generic',
    label: "Stackgate's generic columns",
    headers: Object.fromEntries(SPEND_COLUMNS.map((c) => [c, c])),
    dateOrder: 'ISO',
    ignoreUnknown: false,
    lenientCostCenter: false,
  },
  expensify: {
    name: 'expensify',
    label: 'Expensify export',
    headers: {
      date: 'Timestamp',
      merchant: 'Merchant',
      amount: 'Amount',
      currency: 'Currency',
      employee: 'Email',
      costCenter: 'Tag',
      memo: 'Comment',
      reference: 'Transaction ID',
    },
    dateOrder: 'ISO',
    ignoreUnknown: true,
    lenientCostCenter: true,
  },
  ramp: {
    name: 'ramp',
    label: 'Ramp transactions export',
    headers: {
      date: 'Transaction Date',
      merchant: 'Merchant Name',
      amount: 'Amount',
      currency: 'Currency',
      employee: 'User Email',
      costCenter: 'Department',
      memo: 'Memo',
      reference: 'Transaction ID',
    },
    dateOrder: 'ISO',
    ignoreUnknown: true,
    lenientCostCenter: true,
  },
  brex: {
    name: 'brex',
    label: 'Brex transactions export',
    headers: {
      date: 'Posted Date',
      merchant: 'Merchant',
      amount: 'Amount',
      currency: 'Currency',
      employee: 'Cardholder',
      costCenter: 'Department',
      memo: 'Memo',
      reference: 'Transaction ID',
    },
    dateOrder: 'MDY',
    ignoreUnknown: true,
    lenientCostCenter: true,
  },
};

export const PRESET_NAMES = Object.keys(SPEND_PRESETS);

/** A saved custom mapping's prefix in `preset` ("custom:Amex corporate"). */
export const CUSTOM_PREFIX = 'custom:';

/** The column layout of a preset (or of a saved mapping, which is a preset too). */
export function layoutOf(preset: SpendPreset): ColumnLayout {
  if (preset.name === 'generic') return { columns: GENERIC_COLUMNS };
  const columns = GENERIC_COLUMNS.filter((c) => preset.headers[c.name as SpendColumn]).map((c) => ({
    ...c,
    aliases: [preset.headers[c.name as SpendColumn]!],
  }));
  return { columns, ignoreUnknown: preset.ignoreUnknown };
}

/** A date cell as YYYY-MM-DD in the preset's order, or null when it is not a date. */
export function parseDateCell(cell: string, order: DateOrder): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(cell);
  if (iso) return real(iso[1], iso[2], iso[3]);
  const parts = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: [\d:.]+(?: ?[AP]M)?)?$/i.exec(cell);
  if (!parts || order === 'ISO') return null;
  const [month, day] = order === 'MDY' ? [parts[1], parts[2]] : [parts[2], parts[1]];
  return real(parts[3], month.padStart(2, '0'), day.padStart(2, '0'));
}

function real(year: string, month: string, day: string): string | null {
  const text = `${year}-${month}-${day}`;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text ? text : null;
}

/**
 * An amount cell as the API's decimal string: exports write "$1,234.50" or "1 234,50 €"; a leading
 * currency sign and thousands separators are dropped (a comma decimal separator is read only when no
 * dot is present and exactly two digits follow it). Anything else is left for the money rule to refuse.
 */
export function plainAmount(cell: string): string {
  let text = cell
    .replace(/^([+-]?)\s*[$€£]\s*/, '$1')
    .replace(/\s*[$€£]$/, '')
    .replace(/[\s\u00a0]/g, '');
  if (/^\(.*\)$/.test(text)) text = `-${text.slice(1, -1)}`; // accounting negative: (12.00)
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) return text.replace(/,/g, '');
  if (/^-?\d+,\d{2}$/.test(text)) return text.replace(',', '.');
  if (/^-?\d{1,3}(\.\d{3})+,\d{2}$/.test(text)) return text.replace(/\./g, '').replace(',', '.');
  return text;
}
