import { EntityManager, In, LessThanOrEqual } from 'typeorm';
import { FxRate } from './fx-rate.entity';

/** Rate strings keyed "CUR|YYYY-MM" for the given currencies (one query). */
export async function loadRates(manager: EntityManager, currencies: string[], months?: string[]): Promise<Map<string, string>> {
  if (!currencies.length) return new Map();
  const where = months ? { currency: In(currencies), month: In(months) } : { currency: In(currencies) };
  const rows = await manager.getRepository(FxRate).find({ where, select: { currency: true, month: true, rate: true } });
  return new Map(rows.map((r) => [`${r.currency}|${r.month}`, r.rate]));
}

/** The rate of `month`, else the latest earlier one, else null. */
export async function rateAtOrBefore(manager: EntityManager, currency: string, month: string): Promise<string | null> {
  const row = await manager.getRepository(FxRate).findOne({ where: { currency, month: LessThanOrEqual(month) }, order: { month: 'DESC' } });
  return row?.rate ?? null;
}

/** The rate recorded for exactly `month`, else null (no earlier month stands in). */
export async function rateOfMonth(manager: EntityManager, currency: string, month: string): Promise<string | null> {
  const row = await manager.getRepository(FxRate).findOne({ where: { currency, month }, select: { rate: true } });
  return row?.rate ?? null;
}
