import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThan } from 'typeorm';
import { NotificationsService } from '@stackgate/notifications';
import { JobLeaseService, JobScheduler, withTransaction } from '@stackgate/platform';
import { RequestNotices } from './request-notices';
import { StageStatus } from './review-policy';
import { ReviewStage, ToolRequest } from './tool-request.entity';

export const SLA_JOB = 'sla-reminders';

/**
 * Tells the deciders of every overdue stage, once a day per stage, across all instances. The
 * database lease keeps instances from running it at the same time; the unique per-stage-per-day
 * dedupe key is what guarantees "once": a later tick (or another instance) that day finds the
 * reminder already written and writes nothing, and a run that failed half-way is completed by the
 * next tick instead of losing the day.
 */
@Injectable()
export class SlaRemindersJob implements OnModuleInit {
  private readonly logger = new Logger('SlaReminders');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scheduler: JobScheduler,
    private readonly leases: JobLeaseService,
    private readonly notifications: NotificationsService,
    private readonly notices: RequestNotices,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: SLA_JOB,
      run: async (now) => {
        await this.run(now);
      },
    });
  }

  async run(now: Date): Promise<number> {
    const day = now.toISOString().slice(0, 10);
    if (!(await this.leases.acquire(SLA_JOB, 5 * 60_000))) return 0;
    const overdue = await this.dataSource.getRepository(ReviewStage).find({ where: { status: StageStatus.OPEN, dueAt: LessThan(now) } });
    if (!overdue.length) return 0;
    const requests = await this.dataSource
      .getRepository(ToolRequest)
      .find({ where: { id: In([...new Set(overdue.map((s) => s.requestId))]) } });
    let sent = 0;
    for (const stage of overdue) {
      const request = requests.find((x) => x.id === stage.requestId);
      if (!request) continue;
      await withTransaction(this.dataSource, async (manager) => {
        const rows = await this.notifications.enqueue(manager, {
          event: 'stage-overdue',
          recipients: await this.notices.deciders(manager, request, stage.stage),
          entityType: 'ToolRequest',
          entityId: request.id,
          link: `/requests/${request.id}`,
          dedupeKey: `stage-overdue:${stage.id}:${day}`,
          data: { title: request.title, stage: stage.stage, dueAt: stage.dueAt!.toISOString().slice(0, 10), requestId: request.id },
        });
        sent += rows.length;
      });
    }
    this.logger.log({ msg: 'overdue reminders', stages: overdue.length, notifications: sent });
    return sent;
  }
}
