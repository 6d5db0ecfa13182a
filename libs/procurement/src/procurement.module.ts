import { Module } from '@nestjs/common';

/** Tool requests, review stages, decisions, IT assessments, SLAs and their scheduled jobs. */
@Module({ imports: [], controllers: [], providers: [], exports: [] })
export class ProcurementModule {}
