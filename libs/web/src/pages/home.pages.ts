import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CatalogQueries } from '@stackgate/catalog';
import {
  APP_CONFIG,
  AppConfig,
  Allow,
  ANY_ROLE,
  AuthUser,
  CurrentUser,
  DomainError,
  formatMinor,
  hasRole,
  Role,
} from '@stackgate/platform';
import { ConditionState, RequestConditionsService, RequestsService } from '@stackgate/procurement';
import { withConditionActions } from './conditions.pages';
import { actualVsCommittedWords, explainActualVsCommitted } from './spend-explanation';
import { barChart, SpendReportService } from '@stackgate/reporting';
import { Inject } from '@nestjs/common';
import { PageContext } from '../page-context';
import { formatMoneyForReader, ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

/** Home pages that extend it (requests, queue, spend) register a contribution per role. */
export interface HomeContribution {
  (user: AuthUser): Promise<Record<string, unknown>>;
}
export const homeContributions: HomeContribution[] = [];

@ApiExcludeController()
@Controller()
@UseGuards(WebGuard)
export class HomePages {
  constructor(
    private readonly catalog: CatalogQueries,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly requests: RequestsService,
    private readonly spend: SpendReportService,
    private readonly conditions: RequestConditionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The current fiscal year's months (FISCAL_YEAR_START_MONTH) as a report range. */
  private fiscalYear(now = new Date()): { label: string; from: string; to: string } {
    const start = this.config.fiscalYearStartMonth;
    const year = now.getUTCFullYear();
    const month = now.getUTCMonth() + 1;
    const startYear = month >= start ? year : year - 1;
    const endYear = start === 1 ? startYear : startYear + 1;
    const endMonth = start === 1 ? 12 : start - 1;
    const pad = (n: number) => String(n).padStart(2, '0');
    return { label: `FY${endYear}`, from: `${startYear}-${pad(start)}`, to: `${endYear}-${pad(endMonth)}` };
  }

  private async spendSummary(): Promise<Record<string, unknown> | undefined> {
    const fy = this.fiscalYear();
    try {
      const [committed, actual, committedByTool, actualByTool] = await Promise.all([
        this.spend.spend({ from: fy.from, to: fy.to, basis: 'committed', groupBy: 'budget' }),
        this.spend.spend({ from: fy.from, to: fy.to, basis: 'actual', groupBy: 'budget' }),
        this.spend.spend({ from: fy.from, to: fy.to, basis: 'committed', groupBy: 'tool' }),
        this.spend.spend({ from: fy.from, to: fy.to, basis: 'actual', groupBy: 'tool' }),
      ]);
      const toMinor = (a: string) => BigInt(a.replace('.', ''));
      const forReader = (amount: string) => formatMoneyForReader({ amount, currency: committed.currency });
      const rows = [committed, actual].map((r, i) => ({
        label: i ? 'Actual to date' : 'Committed (contracts)',
        values: [toMinor(r.totals.marketing), toMinor(r.totals.it), toMinor(r.totals.other)],
        caption: forReader(r.totals.total),
      }));
      const chart = barChart(
        rows,
        [
          { name: 'Marketing', color: '#d4483b' },
          { name: 'IT', color: '#2f6fd6' },
          { name: 'Other', color: '#8a94a6' },
        ],
        { title: `Marketing vs IT spend ${fy.label}`, stacked: true },
      );
      const split = (t: typeof committed.totals) => ({
        total: forReader(t.total),
        marketing: forReader(t.marketing),
        it: forReader(t.it),
        other: forReader(t.other),
      });
      const byTool = (report: typeof committed) => report.rows.map((row) => ({ toolId: row.key, minor: toMinor(row.total) }));
      const shadowIds = new Set(
        (await this.catalog.reportTools(actualByTool.rows.map((row) => row.key))).filter((tool) => tool.shadowIt).map((tool) => tool.id),
      );
      const why = explainActualVsCommitted(byTool(committedByTool), byTool(actualByTool), shadowIds);
      const explanation = actualVsCommittedWords(why, fy.label, (minor) => forReader(formatMinor(minor, committed.currency)));
      return { fiscalYear: fy.label, chart, committed: split(committed.totals), actual: split(actual.totals), explanation };
    } catch (err) {
      if (err instanceof DomainError) return { fiscalYear: fy.label, error: err.message };
      throw err;
    }
  }

  @Get()
  @Allow(ANY_ROLE)
  async home(@CurrentUser() user: AuthUser, @Res() res: Response) {
    const { active, shadow, total } = await this.catalog.toolCounts();
    const reviewer = hasRole(user, Role.CMO, Role.CIO, Role.FINANCE);
    const assessor = hasRole(user, Role.IT);
    const [mine, queue, assessments, conditionsToDo, spendSummary, ...parts] = await Promise.all([
      hasRole(user, Role.MARKETER, Role.CMO) ? this.requests.list(user, { queue: 'mine', pageSize: 10 }) : Promise.resolve(null),
      reviewer ? this.requests.list(user, { queue: 'awaiting-me', pageSize: 10 }) : Promise.resolve(null),
      assessor ? this.requests.list(user, { queue: 'awaiting-assessment', pageSize: 10 }) : Promise.resolve(null),
      this.conditions.list(user, { ownerId: user.id, state: ConditionState.OPEN }),
      hasRole(user, Role.FINANCE, Role.CMO, Role.CIO) ? this.spendSummary() : Promise.resolve(undefined),
      ...homeContributions.map((c) => c(user)),
    ]);
    const ctx = await this.page.build(user, res, 'Home', 'home', {
      stats: { active, shadow, total },
      myRequests: mine?.items,
      reviewer,
      queue: queue ? queue.items : null,
      queueTotal: queue?.total,
      overdue: queue?.items.filter((r) => r.overdue).length ?? 0,
      spendSummary,
      conditions: withConditionActions(user, conditionsToDo, { showRequest: true }),
      conditionsBack: '/',
      conditionsPastDue: conditionsToDo.filter((c) => c.pastDue).length,
      assessmentQueue: assessments
        ? { items: assessments.items, total: assessments.total, overdue: assessments.items.filter((r) => r.overdue).length }
        : null,
      ...Object.fromEntries(parts.flatMap((part) => Object.entries(part))),
    });
    res.type('html').send(this.views.render('home', ctx));
  }
}
