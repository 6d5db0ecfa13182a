import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { ASSESSABLE_STAGES, RequestStatus, Stage, StageStatus } from './review-policy';
import { ItAssessment, ReviewStage, ToolRequest } from './tool-request.entity';

/** A request in review as the reviewers' queues see it (for the weekly reviewer digest). */
export interface WaitingRequest {
  requestId: string;
  title: string;
  requesterId: string;
  round: number;
  /** The stage whose decision is open. */
  stage: Stage;
  openedAt: Date | null;
  dueAt: Date | null;
  /** Whether IT still has to assess this round (the awaiting-assessment queue). */
  awaitsAssessment: boolean;
  /** Who decided which stage of the request, any round: separation of duties keeps them from deciding another. */
  deciders: { stage: Stage; userId: string }[];
}

/** Requests waiting for reviewers, read in three queries, for other libs (the digests). */
@Injectable()
export class ReviewQueueQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async waiting(manager: EntityManager = this.dataSource.manager): Promise<WaitingRequest[]> {
    const rows = await manager
      .getRepository(ToolRequest)
      .createQueryBuilder('r')
      .innerJoinAndMapOne(
        'r.openStage',
        ReviewStage,
        's',
        's.requestId = r.id AND s.round = r.round AND s.stage = r.currentStage AND s.status = :open',
        { open: StageStatus.OPEN },
      )
      .where('r.status = :inReview', { inReview: RequestStatus.IN_REVIEW })
      .orderBy('s.dueAt', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const decided = await manager.getRepository(ReviewStage).find({
      where: { requestId: In(ids), decidedById: Not(IsNull()) },
      select: { requestId: true, stage: true, decidedById: true },
    });
    const assessed = await manager
      .getRepository(ItAssessment)
      .find({ where: { requestId: In(ids) }, select: { requestId: true, round: true } });
    const assessedRounds = new Set(assessed.map((a) => `${a.requestId}:${a.round}`));
    return rows.map((request) => {
      const stage = (request as ToolRequest & { openStage: ReviewStage }).openStage;
      return {
        requestId: request.id,
        title: request.title,
        requesterId: request.requesterId,
        round: request.round,
        stage: stage.stage,
        openedAt: stage.openedAt,
        dueAt: stage.dueAt,
        awaitsAssessment: ASSESSABLE_STAGES.includes(stage.stage) && !assessedRounds.has(`${request.id}:${request.round}`),
        deciders: decided.filter((d) => d.requestId === request.id).map((d) => ({ stage: d.stage, userId: d.decidedById! })),
      };
    });
  }
}
