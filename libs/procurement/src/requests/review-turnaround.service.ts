import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not } from 'typeorm';
import { invalidRange } from '@stackgate/platform';
import { businessHoursBetween, percentile, Stage, StageStatus } from './review-policy';
import { ReviewStage } from './tool-request.entity';

export interface StageTurnaround {
  stage: Stage;
  decided: number;
  medianBusinessHours: number | null;
  p90BusinessHours: number | null;
  openNow: number;
  overdueNow: number;
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** Review turnaround per stage: median and p90 business hours from opening to decision. */
@Injectable()
export class ReviewTurnaroundService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async turnaround(
    range: { from?: string; to?: string } = {},
    now = new Date(),
  ): Promise<{ from: string; to: string; stages: StageTurnaround[] }> {
    const to = range.to ?? now.toISOString().slice(0, 10);
    const from = range.from ?? new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate())).toISOString().slice(0, 10);
    if (from > to) throw invalidRange();
    const repo = this.dataSource.getRepository(ReviewStage);
    const decided = await repo
      .createQueryBuilder('s')
      .select(['s.stage', 's.openedAt', 's.decidedAt'])
      .where('s.decidedAt >= :from AND s.decidedAt < :to AND s.openedAt IS NOT NULL', {
        from: new Date(`${from}T00:00:00Z`),
        to: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000),
      })
      .getMany();
    const open = await repo.find({ where: { status: StageStatus.OPEN, dueAt: Not(IsNull()) }, select: { stage: true, dueAt: true } });
    const stages = Object.values(Stage).map((stage) => {
      const hours = decided.filter((s) => s.stage === stage).map((s) => businessHoursBetween(s.openedAt!, s.decidedAt!));
      const openHere = open.filter((s) => s.stage === stage);
      return {
        stage,
        decided: hours.length,
        medianBusinessHours: round1(percentile(hours, 50)),
        p90BusinessHours: round1(percentile(hours, 90)),
        openNow: openHere.length,
        overdueNow: openHere.filter((s) => s.dueAt! < now).length,
      };
    });
    return { from, to, stages };
  }
}
