import { INestApplication, Logger } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImportsService } from '@stackgate/catalog';
import { AuthUser } from '@stackgate/platform';

/** The identity providers' reports of the demo stack (demo/idp/*.csv), imported as IT would through POST /imports (kind idp-apps). */
export const DEMO_IDP_FILES = [
  { preset: 'okta', file: 'okta-current-assignments.csv' },
  { preset: 'entra', file: 'entra-sign-ins.csv' },
  { preset: 'google', file: 'google-oauth-log-events.csv' },
] as const;

const DAY_MS = 86_400_000;
const DATE = /\b(\d{4}-\d{2}-\d{2})(?=T|,|$)/gm;

/** The file with every date moved by the same number of days, so that its latest day is `latest` (the figures stay as recent as the demo). */
export function shiftDates(csv: string, latest: string): string {
  const days = [...csv.matchAll(DATE)].map((m) => m[1]).sort();
  if (!days.length) return csv;
  const offset = Math.round((Date.parse(`${latest}T00:00:00Z`) - Date.parse(`${days[days.length - 1]}T00:00:00Z`)) / DAY_MS);
  return csv.replace(DATE, (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10));
}

/**
 * Imports the three demo reports (Okta assignments, Entra sign-ins, Google OAuth events), their latest day yesterday: the
 * matched tools get their active users and a month of utilisation, and the apps nobody registered (Loom, Miro, Gong,
 * Notion, Canva, Calendly) wait as identity-provider evidence.
 */
export async function seedIdpUsage(app: INestApplication, it: AuthUser, now: Date): Promise<void> {
  const imports = app.get(ImportsService);
  const yesterday = new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10);
  for (const { preset, file } of DEMO_IDP_FILES) {
    const path = join(__dirname, 'idp', file);
    if (!existsSync(path)) {
      new Logger('Demo').warn({ msg: 'demo identity-provider report missing', file: path });
      continue;
    }
    const buffer = Buffer.from(shiftDates(readFileSync(path, 'utf8'), yesterday), 'utf8');
    await imports.run(it, 'idp-apps', { originalname: file, mimetype: 'text/csv', buffer, size: buffer.length }, false, { preset });
  }
}
