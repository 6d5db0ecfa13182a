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
  const [contract] = (await contracts.list({ toolId: marketoId, pageSize: 1 })).items;
  if (!contract) return;
  const today = now.toISOString().slice(0, 10);
  const noticeDays = daysBetween(addDays(today, -3), contract.endDate);
  if (noticeDays < 0) return;
  await withTransaction(app.get(DataSource), (m) =>
    contracts.updateInTransaction(m, contract.id, { noticeDays, version: contract.version }),
  );
}
