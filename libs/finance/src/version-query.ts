import { validationFailed } from '@stackgate/platform';

/** `?version=3` on DELETE: optional, a positive whole number. */
export function parseVersionQuery(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1) throw validationFailed('version must be a positive whole number');
  return Number(raw);
}
