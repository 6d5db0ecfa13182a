import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { CatalogQueries, ToolFacts } from '@stackgate/catalog';
import { PeopleDirectory } from '@stackgate/identity';
import { NotificationRecipient, NotificationsService } from '@stackgate/notifications';
import {
  APP_CONFIG,
  AppConfig,
  formatMinor,
  isUniqueViolation,
  JobLeaseService,
  JobScheduler,
  Role,
  withTransaction,
} from '@stackgate/platform';
import { Contract } from '../contracts/contract.entity';
import { addDays } from '../contracts/contract-terms';
import { ContractStatus } from '../finance.enums';

export const RENEWAL_JOB = 'renewal-reminders';
export type RenewalMilestone = 'review-start' | 'cancel-by-minus-7';

/** Which milestones of a contract are due on `day`: from the milestone date until the cancel-by date (so a missed day catches up). */
export function dueMilestones(contract: Pick<Contract, 'reviewStartDate' | 'cancelByDate'>, day: string): RenewalMilestone[] {
  if (day > contract.cancelByDate) return [];
  const out: RenewalMilestone[] = [];
  if (day >= contract.reviewStartDate) out.push('review-start');
  if (day >= addDays(contract.cancelByDate, -7)) out.push('cancel-by-minus-7');
  return out;
}

/** The audit event of a renewal milestone reached: its metadata is the `contract.renewal_due` webhook's data. */
export function renewalDueEvent(contract: Contract, tool: Pick<ToolFacts, 'id' | 'name'>, milestone: RenewalMilestone) {
  return {
    action: 'contract.renewal_due',
    entityType: 'Contract',
    entityId: contract.id,
    metadata: {
      toolId: tool.id,
      toolName: tool.name,
      milestone,
      endDate: contract.endDate,
      cancelByDate: contract.cancelByDate,
      reviewStartDate: contract.reviewStartDate,
      annualValue: formatMinor(contract.annualValueMinor, contract.currency),
      currency: contract.currency,
      autoRenew: contract.autoRenew,
    },
  };
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
    private readonly catalog: CatalogQueries,
    private readonly people: PeopleDirectory,
    private readonly audit: AuditService,
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
    const contracts = await this.dataSource
      .getRepository(Contract)
      .createQueryBuilder('c')
      .where('c.status = :status AND c.cancelByDate >= :day', { status: ContractStatus.ACTIVE, day })
      .andWhere(
        new Brackets((w) => w.where('c.reviewStartDate <= :day', { day }).orWhere('c.cancelByDate <= :soon', { soon: addDays(day, 7) })),
      )
      .getMany();
    if (!contracts.length) return 0;
    const tools = await this.catalog.toolFacts(contracts.map((c) => c.toolId));
    const owners = await this.ownersOf([...tools.values()]);
    const finance = await this.people.activeWithRoles([Role.FINANCE]);
    let written = 0;
    for (const contract of contracts) {
      const tool = tools.get(contract.toolId);
      if (!tool) continue;
      const recipients = [...(owners.get(tool.id) ?? []), ...finance];
      for (const milestone of dueMilestones(contract, day)) {
        try {
          const rows = await withTransaction(this.dataSource, async (manager) => {
            const written = await this.notifications.enqueue(manager, {
              event: `renewal-${milestone}`,
              recipients,
              entityType: 'Contract',
              entityId: contract.id,
              link: `/tools/${tool.id}`,
              dedupeKey: `renewal:${contract.id}:${milestone}`,
              data: {
                toolName: tool.name,
                reference: contract.reference ?? '',
                endDate: contract.endDate,
                cancelByDate: contract.cancelByDate,
                reviewStartDate: contract.reviewStartDate,
                annualValue: `${formatMinor(contract.annualValueMinor, contract.currency)} ${contract.currency}`,
                autoRenew: contract.autoRenew,
              },
            });
            // The first time a milestone's reminders go out, the audit trail records it: the domain event
            // `contract.renewal_due` that webhooks (and other listeners) hear, once per contract and milestone.
            if (written.length) await this.audit.record(manager, renewalDueEvent(contract, tool, milestone));
            return written;
          });
          written += rows.length;
        } catch (err) {
          // Another instance wrote the same reminder between our check and insert: it is sent once.
          if (!isUniqueViolation(err)) throw err;
        }
      }
    }
    return written;
  }

  /** Each tool's business owner and the owner of its budget cost center, those still active: one query per kind for all tools. */
  private async ownersOf(tools: ToolFacts[]): Promise<Map<string, NotificationRecipient[]>> {
    const centers = await this.catalog.costCenterFacts(tools.map((t) => t.budgetOwnerId));
    const ownerIds = (t: ToolFacts) => [t.businessOwnerId, centers.get(t.budgetOwnerId)?.ownerId].filter((id): id is string => !!id);
    const people = await this.people.facts(tools.flatMap(ownerIds));
    return new Map(
      tools.map((t) => [
        t.id,
        [...new Set(ownerIds(t))].flatMap((id) => {
          const person = people.get(id);
          return person?.active ? [{ id: person.id, email: person.email }] : [];
        }),
      ]),
    );
  }
}
