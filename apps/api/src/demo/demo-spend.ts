import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { ImportsService } from '@stackgate/catalog';
import { AuthUser } from '@stackgate/platform';

/** The demo's card and expense exports, one per spend-transactions preset (apps/api/src/demo/spend/). */
export const DEMO_SPEND_FILES: readonly { preset: string; file: string }[] = [
  { preset: 'generic', file: 'generic.csv' },
  { preset: 'expensify', file: 'expensify.csv' },
  { preset: 'ramp', file: 'ramp.csv' },
  { preset: 'brex', file: 'brex.csv' },
];

/** The last month the files were written for: the demo moves every date so that it becomes last month (no line in the future). */
const FILES_LAST_MONTH = { year: 2026, month: 11 };

/** Where the files are: next to this module (ts-node, tests) or in the source tree (the compiled app runs from the repository). */
export function demoSpendFile(file: string): string {
  const found = [join(__dirname, 'spend', file), join(process.cwd(), 'apps', 'api', 'src', 'demo', 'spend', file)].find((p) =>
    existsSync(p),
  );
  if (!found) throw new Error(`demo spend file ${file} not found`);
  return found;
}

/** The file's dates (YYYY-MM-DD and MM/DD/YYYY) moved by `months` whole months (days are at most 28 in the files). */
export function shiftDemoDates(text: string, months: number): string {
  const shift = (year: number, month: number) => {
    const total = year * 12 + (month - 1) + months;
    return { year: Math.floor(total / 12), month: (total % 12) + 1 };
  };
  const pad = (n: number) => String(n).padStart(2, '0');
  return text
    .replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (_all, year: string, month: string, day: string) => {
      const moved = shift(Number(year), Number(month));
      return `${moved.year}-${pad(moved.month)}-${day}`;
    })
    .replace(/\b(\d{2})\/(\d{2})\/(\d{4})\b/g, (_all, month: string, day: string, year: string) => {
      const moved = shift(Number(year), Number(month));
      return `${pad(moved.month)}/${day}/${moved.year}`;
    });
}

/**
 * Imports the four demo exports as finance would (POST /imports, kind spend-transactions, each with
 * its preset): most lines match the demo's tools and become actual spend; two shadow tools (a
 * webinar tool and a social scheduler) and some non-software merchants fill the discovery queue.
 */
export async function seedDemoSpend(app: INestApplication, finance: AuthUser, now: Date): Promise<void> {
  const months = now.getUTCFullYear() * 12 + now.getUTCMonth() - 1 - (FILES_LAST_MONTH.year * 12 + FILES_LAST_MONTH.month - 1);
  const imports = app.get(ImportsService);
  for (const { preset, file } of DEMO_SPEND_FILES) {
    const text = shiftDemoDates(readFileSync(demoSpendFile(file), 'utf8'), months);
    await imports.run(finance, 'spend-transactions', { originalname: file, mimetype: 'text/csv', buffer: Buffer.from(text) }, false, {
      preset,
    });
  }
}
