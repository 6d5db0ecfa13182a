import { Module } from '@nestjs/common';
import { FinanceModule } from '../finance.module';
import { CalendarFeedController } from './calendar.controllers';

/**
 * The renewals calendar feed, served at the root (/calendar/renewals.ics), not under /api/v1: the app
 * module imports it beside the API modules. The feed belongs to finance because its content and its
 * visibility rule (who may see which contracts) are finance's; the web lib serves session pages, and
 * this feed must never open with a session.
 */
@Module({ imports: [FinanceModule], controllers: [CalendarFeedController] })
export class CalendarFeedModule {}
