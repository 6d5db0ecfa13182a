import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addDays, ContractsService, daysBetween } from '@stackgate/finance';
import { withTransaction } from '@stackgate/platform';

/**
 * A missed cancel-by date for the renewal workbench: Marketo Engage (sunsetting, auto-renewing,
 * 6 of 25 seats used) gets the notice period that puts its cancel-by date three days before today,
 * so it shows as MISSED (red) with no decision. Only the notice period changes, not the money.
 */
export async function seedMissedRenewal(app: INestApplication, marketoId: string, now: Date): Promise<void> {
  const contracts = app.get(ContractsService);
  const [c] = (await contracts.list({ toolId: marketoId, pageSize: 1 })).items;
  if (!c) return;
  const today = now.toISOString().slice(0, 10);
  const noticeDays = daysBetween(addDays(today, -3), c.endDate);
  if (noticeDays < 0) return;
  await withTransaction(app.get(DataSource), (m) => contracts.updateInTransaction(m, c.id, { noticeDays, version: c.version }));
}
