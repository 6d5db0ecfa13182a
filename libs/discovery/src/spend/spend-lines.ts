import { createHash } from 'node:crypto';
import type { ImportRow, RowContext } from '@stackgate/catalog';
import { convertMinor, isCurrencyCode, parseMoneyInput } from '@stackgate/platform';
import { CandidateStatus, MatchKind } from '../discovery.enums';
import { candidateKeyOf, MerchantIndex, MerchantMatch } from '../matching/merchant-index';
import { normaliseMerchant } from '../matching/merchant-normaliser';
import { parseDateCell, plainAmount, SpendPreset } from './spend-presets';

/** One card, expense or payable line as read from the file and matched. */
export interface SpendLine {
  txKey: string;
  baseKey: string;
  date: string;
  month: number;
  merchantRaw: string;
  merchantKey: string;
  /** What unmatched lines are grouped under (candidateKeyOf). */
  candidateKey: string;
  amountMinor: bigint;
  currency: string;
  baseAmountMinor: bigint;
  employee: string | null;
  costCenterId: string | null;
  memo: string | null;
  reference: string | null;
  /** The tool it belongs to (a spend entry), or null (a candidate's line). */
  match: MerchantMatch | null;
  /** The candidate an alias match was learned from, or the existing candidate of an unmatched merchant. */
  candidateId: string | null;
  /** The merchant was dismissed as not software: the line is kept on its candidate and counts nowhere. */
  ignored: boolean;
}

/** What the kind's one-off lookup loads per import: the catalog's index and the known candidates. */
export interface SpendCatalog {
  index: MerchantIndex;
  /** SPEND candidates by merchant key. */
  candidates: Map<string, { id: string; status: CandidateStatus; name: string }>;
  /** Learned aliases: merchant key → the candidate that taught it. */
  aliasCandidates: Map<string, string | null>;
}

/** FX rates of one currency, by month "YYYY-MM", ascending. */
export type RateList = [month: string, rate: string][];

/**
 * The key a line is stored under before its occurrence in the file: "ref:<reference>", else a hash of
 * what identifies a card line (date, merchant, amount, currency, employee as the file wrote them).
 */
export function baseKeyOf(values: ImportRow['values']): string {
  const reference = (values.reference ?? '').trim();
  if (reference) return `ref:${reference}`.slice(0, 190);
  const identity = ['date', 'merchant', 'amount', 'currency', 'employee'].map((c) => (values[c] ?? '').trim().toLowerCase()).join('\u241f');
  return `row:${createHash('sha256').update(identity).digest('hex').slice(0, 40)}`;
}

/** The rate of `month` or the latest before it (finance's FX rule for actual spend), or null. */
export function rateAtOrBefore(rates: RateList | undefined, month: string): string | null {
  let found: string | null = null;
  for (const [rateMonth, rate] of rates ?? []) {
    if (rateMonth > month) break;
    found = rate;
  }
  return found;
}

/** Reads and matches one line; answers undefined when a cell is wrong (the errors are on ctx.reader). */
export function readSpendLine(ctx: RowContext, preset: SpendPreset, catalog: SpendCatalog, baseCurrency: string): SpendLine | undefined {
  const reader = ctx.reader;
  const dateCell = reader.text('date', 40, true);
  const date = dateCell ? parseDateCell(dateCell, preset.dateOrder) : null;
  if (dateCell && !date)
    reader.fail(
      'date',
      `date "${dateCell}" is not a real date ${preset.dateOrder === 'ISO' ? 'YYYY-MM-DD' : preset.dateOrder === 'MDY' ? 'MM/DD/YYYY' : 'DD/MM/YYYY'}`,
    );
  const merchantRaw = reader.text('merchant', 200, true);
  const merchantKey = merchantRaw ? normaliseMerchant(merchantRaw) : '';
  if (merchantRaw && !merchantKey)
    reader.fail('merchant', `merchant "${merchantRaw}" has no name once numbers and punctuation are removed`);
  const currency = (reader.text('currency', 3, true) ?? '').toUpperCase();
  if (currency && !isCurrencyCode(currency)) reader.fail('currency', `currency "${currency}" is not an ISO 4217 code`);
  const amountCell = reader.text('amount', 40, true);
  let amountMinor: bigint | undefined;
  if (amountCell && isCurrencyCode(currency)) {
    try {
      amountMinor = parseMoneyInput(plainAmount(amountCell), currency);
    } catch (error) {
      reader.fail('amount', (error as Error).message);
    }
  }
  const employee = reader.text('employee', 200) ?? null;
  const costCenterCell = reader.text('costCenter', 40);
  let costCenterId: string | null = null;
  if (costCenterCell) {
    costCenterId = ctx.ref('cost-center-by-code', costCenterCell)?.id ?? null;
    if (!costCenterId && !preset.lenientCostCenter) reader.fail('costCenter', `unknown cost center "${costCenterCell}"`);
    else if (!costCenterId) ctx.note(`"${costCenterCell}" is no cost center code: the line takes the tool's allocation`);
  }
  const memo = reader.text('memo', 2000, false, { multiline: true }) ?? null;
  const reference = reader.text('reference', 180) ?? null;
  const baseKey = baseKeyOf(ctx.row.values);
  let occurrence = 1;
  if (reference) {
    const first = ctx.firstRow('reference', reference);
    if (first) reader.fail('reference', `reference "${reference}" also appears in row ${first}`);
  } else while (ctx.firstRow('line', `${baseKey}#${occurrence}`) !== undefined) occurrence++;
  let baseAmountMinor: bigint | undefined;
  if (date && amountMinor !== undefined) {
    const rate = currency === baseCurrency ? '1' : rateAtOrBefore(ctx.lookup<RateList>('rates', currency), date.slice(0, 7));
    if (rate) baseAmountMinor = convertMinor(amountMinor, currency, baseCurrency, rate);
    else
      reader.fail(
        'currency',
        `no FX rate for ${currency} in ${date.slice(0, 7)} or before: record one (Finance → FX rates) and import again`,
      );
  }
  if (reader.errors.length || !date || !merchantRaw || amountMinor === undefined || baseAmountMinor === undefined) return undefined;

  const candidateKey = candidateKeyOf(merchantKey);
  const match = catalog.index.match(merchantKey) ?? (candidateKey !== merchantKey ? catalog.index.match(candidateKey) : null);
  const candidate = catalog.candidates.get(candidateKey);
  const ignored = !match && candidate?.status === CandidateStatus.DISMISSED;
  // one note per merchant and file, on its first line
  if (ctx.firstRow('merchant', candidateKey) === undefined) {
    if (match) ctx.note(`${merchantRaw}: ${match.toolName} (${MATCH_WORDS[match.how]})`);
    else if (ignored) ctx.note(`${merchantRaw}: ignored, "${candidate.name}" was dismissed as not software`);
    else if (candidate) ctx.note(`${merchantRaw}: added to the discovery candidate "${candidate.name}"`);
    else ctx.note(`${merchantRaw}: new discovery candidate "${candidateKey}"`);
  }
  return {
    txKey: reference ? baseKey : `${baseKey}#${occurrence}`,
    baseKey,
    date,
    month: Number(date.slice(0, 4)) * 100 + Number(date.slice(5, 7)),
    merchantRaw,
    merchantKey,
    candidateKey,
    amountMinor,
    currency,
    baseAmountMinor,
    employee,
    costCenterId,
    memo,
    reference,
    match,
    candidateId: match
      ? match.how === MatchKind.ALIAS
        ? (catalog.aliasCandidates.get(merchantKey) ?? null)
        : null
      : (candidate?.id ?? null),
    ignored,
  };
}

const MATCH_WORDS: Record<MatchKind, string> = {
  [MatchKind.ALIAS]: 'a name learned from the discovery queue',
  [MatchKind.EXACT]: 'its name',
  [MatchKind.KNOWN]: 'a known billing name',
  [MatchKind.PREFIX]: 'its name starts the merchant',
  [MatchKind.FUZZY]: 'a close spelling',
};
