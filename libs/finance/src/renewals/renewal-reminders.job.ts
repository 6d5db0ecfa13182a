import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In } from 'typeorm';
import { CostCenter, Tool } from '@stackgate/catalog';
import { User, UserRole } from '@stackgate/identity';
import { NotificationRecipient, NotificationsService } from '@stackgate/notifications';
import { APP_CONFIG, AppConfig, formatMinor, isUniqueViolation, JobLeaseService, JobScheduler, Role, withTransaction } from '@stackgate/platform';
import { Contract } from '../contracts/contract.entity';
import { addDays } from '../contracts/contract-terms';
import { ContractStatus } from '../finance.enums';

export const RENEWAL_JOB = 'renewal-reminders';
export type RenewalMilestone = 'review-start' | 'cancel-by-minus-7';

/** Which milestones of a contract are due on `day`: from the milestone date until the cancel-by date (so a missed day catches up). */
export function dueMilestones(c: Pick<Contract, 'reviewStartDate' | 'cancelByDate'>, day: string): RenewalMilestone[] {
  if (day > c.cancelByDate) return [];
  const out: RenewalMilestone[] = [];
  if (day >= c.reviewStartDate) out.push('review-start');
  if (day >= addDays(c.cancelByDate, -7)) out.push('cancel-by-minus-7');
  return out;
}

/**
 * Renewal reminders (daily): at the review-start date and again 7 days before the cancel-by date,
 * the tool's business owner, the owner of its budget cost center and every active FINANCE user
 * are notified. The day is claimed through the database lease, and each (contract, milestone) has
 * a dedupe key, so a reminder goes out once however many instances run.
 */
@Injectable()
export class RenewalRemindersJob implements OnModuleInit {
  private readonly logger = new Logger('RenewalReminders');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: JobScheduler,
    private readonly leases: JobLeaseService,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: RENEWAL_JOB, run: (now) => this.run(now) });
  }

  async run(now: Date): Promise<void> {
    const day = now.toISOString().slice(0, 10);
    if (!(await this.leases.claimPeriod(RENEWAL_JOB, day))) return;
    const sent = await this.remind(day);
    if (sent) this.logger.log({ msg: 'renewal reminders sent', day, notifications: sent });
  }

  /** Sends what is due on `day`; safe to repeat (dedupe keys). Returns the number of notifications written. */
  async remind(day: string): Promise<number> {
    const contracts = await this.dataSource.getRepository(Contract).createQueryBuilder('c')
      .where('c.status = :status AND c.cancelByDate >= :day', { status: ContractStatus.ACTIVE, day })
      .andWhere(new Brackets((w) => w.where('c.reviewStartDate <= :day', { day }).orWhere('c.cancelByDate <= :soon', { soon: addDays(day, 7) })))
      .getMany();
    if (!contracts.length) return 0;
    const tools = new Map((await this.dataSource.getRepository(Tool).find({ where: { id: In([...new Set(contracts.map((c) => c.toolId))]) } })).map((t) => [t.id, t]));
    const finance = await this.financeUsers();
    let written = 0;
    for (const c of contracts) {
      const tool = tools.get(c.toolId);
      if (!tool) continue;
      const recipients = [...(await this.owners(tool)), ...finance];
      for (const milestone of dueMilestones(c, day)) {
        try {
          const rows = await withTransaction(this.dataSource, (m) => this.notifications.enqueue(m, {
            event: `renewal-${milestone}`, recipients, entityType: 'Contract', entityId: c.id, link: `/tools/${tool.id}`,
            dedupeKey: `renewal:${c.id}:${milestone}`,
            data: {
              toolName: tool.name, reference: c.reference ?? '', endDate: c.endDate, cancelByDate: c.cancelByDate, reviewStartDate: c.reviewStartDate,
              annualValue: `${formatMinor(c.annualValueMinor, c.currency)} ${c.currency}`, autoRenew: c.autoRenew,
            },
          }));
          written += rows.length;
        } catch (err) {
          // Another instance wrote the same reminder between our check and insert: it is sent once.
          if (!isUniqueViolation(err)) throw err;
        }
      }
    }
    return written;
  }

  private async owners(tool: Tool): Promise<NotificationRecipient[]> {
    const ids: string[] = [];
    if (tool.businessOwnerId) ids.push(tool.businessOwnerId);
    const cc = await this.dataSource.getRepository(CostCenter).findOne({ where: { id: tool.budgetOwnerId } });
    if (cc?.ownerId) ids.push(cc.ownerId);
    if (!ids.length) return [];
    const users = await this.dataSource.getRepository(User).find({ where: { id: In(ids), active: true } });
    return users.map((u) => ({ id: u.id, email: u.email }));
  }

  private async financeUsers(): Promise<NotificationRecipient[]> {
    const users = await this.dataSource.getRepository(User).createQueryBuilder('u')
      .innerJoin(UserRole, 'r', 'r.userId = u.id AND r.role = :role', { role: Role.FINANCE })
      .where('u.active = :active', { active: true }).orderBy('u.email', 'ASC').getMany();
    return users.map((u) => ({ id: u.id, email: u.email }));
  }
}
