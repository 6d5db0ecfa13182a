import { validationFailed } from '@stackgate/platform';

/** `?version=3` on DELETE: optional, a positive whole number. */
export function parseVersionQuery(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,10}$/.test(v) || Number(v) < 1) throw validationFailed('version must be a positive whole number');
  return Number(v);
}
