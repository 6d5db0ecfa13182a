import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PeopleDirectory } from '@stackgate/identity';
import { NotificationsService } from '@stackgate/notifications';
import { JobLeaseService, JobScheduler, withTransaction } from '@stackgate/platform';
import { RequestConditionsService, todayUtc } from './request-conditions.service';

export const CONDITION_REMINDERS_JOB = 'condition-reminders';
/** The reminder before the due date goes this many days ahead. */
export const CONDITION_DUE_SOON_DAYS = 3;

const DAY = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/**
 * Reminds the owners of open conditions of approved requests: once when a condition is due within
 * CONDITION_DUE_SOON_DAYS days, and once a week from the day after its due date while it stays
 * open (the owner and whoever set the condition). The lease keeps instances from running it at the
 * same time; the dedupe keys (per condition, and per condition and week past due) make each
 * reminder at-most-once however often the job ticks.
 */
@Injectable()
export class ConditionRemindersJob implements OnModuleInit {
  private readonly logger = new Logger('ConditionReminders');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scheduler: JobScheduler,
    private readonly leases: JobLeaseService,
    private readonly notifications: NotificationsService,
    private readonly conditions: RequestConditionsService,
    private readonly people: PeopleDirectory,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: CONDITION_REMINDERS_JOB,
      run: async (now) => {
        await this.run(now);
      },
    });
  }

  async run(now: Date): Promise<number> {
    if (!(await this.leases.acquire(CONDITION_REMINDERS_JOB, 5 * 60_000))) return 0;
    const today = todayUtc(now);
    const until = todayUtc(new Date(now.getTime() + CONDITION_DUE_SOON_DAYS * DAY));
    const due = await this.conditions.openForReminders(this.dataSource.manager, until);
    if (!due.length) return 0;
    const people = await this.people.facts([...new Set(due.flatMap((c) => [c.ownerId, c.createdById]))]);
    const contact = (id: string) => {
      const person = people.get(id);
      return person?.active ? [{ id: person.id, email: person.email }] : [];
    };
    let sent = 0;
    for (const condition of due) {
      const daysPast = daysBetween(condition.dueDate, today);
      const data = {
        title: condition.requestTitle,
        text: condition.text,
        dueDate: condition.dueDate,
        requestId: condition.requestId,
        daysPast,
        ownerName: people.get(condition.ownerId)?.displayName ?? null,
      };
      const common = { entityType: 'RequestCondition', entityId: condition.id, link: `/requests/${condition.requestId}#conditions`, data };
      await withTransaction(this.dataSource, async (manager) => {
        const rows =
          daysPast > 0
            ? await this.notifications.enqueue(manager, {
                ...common,
                event: 'condition-overdue',
                recipients: [...contact(condition.ownerId), ...contact(condition.createdById)],
                dedupeKey: `condition-overdue:${condition.id}:w${Math.floor((daysPast - 1) / 7)}`,
              })
            : await this.notifications.enqueue(manager, {
                ...common,
                event: 'condition-due-soon',
                recipients: contact(condition.ownerId),
                dedupeKey: `condition-due-soon:${condition.id}`,
              });
        sent += rows.length;
      });
    }
    this.logger.log({ msg: 'condition reminders', conditions: due.length, notifications: sent });
    return sent;
  }
}
