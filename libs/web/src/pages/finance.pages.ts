import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CatalogQueries } from '@stackgate/catalog';
import {
  BudgetsService,
  ContractsService,
  CostType,
  CreateBudgetDto,
  CreateFxRateDto,
  CreateSpendEntryDto,
  FINANCE_READERS,
  fiscalYearOf,
  FxRatesService,
  monthOfDate,
  SpendEntriesService,
  SpendEntryQueryDto,
  SpendSource,
  UpdateBudgetDto,
  UpdateFxRateDto,
  UpdateSpendEntryDto,
} from '@stackgate/finance';
import { ReportingError, ReportsService } from '@stackgate/reporting';
import { Allow, APP_CONFIG, AppConfig, AuthUser, CurrentUser, DomainError, hasRole, isDomainError, Role } from '@stackgate/platform';
import { cleanForm, FieldErrors, formAmount, formCurrency, formErrorSummary, percentToBps, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';
import { FlashMessages } from '../session/flash';
import { SubmitOnce } from '../session/submit-once';
import { Lookups } from './lookups';
import { formFieldErrors, moneyFormField, readerRefusal, refusalErrors } from './refusals';

const SPEND_MARKED = ['date', 'toolId', 'contractId', 'costType', 'amount', 'currency', 'description', 'externalRef', 'allocation'];
const SPEND_CODES = { CONTRACT_TOOL_MISMATCH: 'contractId', DUPLICATE_EXTERNAL_REF: 'externalRef' };
const ALLOCATION_ROWS = [0, 1, 2, 3];
/** How many fiscal years the budget grid shows side by side. */
const GRID_YEARS = 3;

type FormBody = Record<string, unknown>;
const str = (body: FormBody, k: string) => (typeof body[k] === 'string' ? body[k].trim() : '');

/** The spend form's flat fields as the API's body; `clearEmpty` (edit) clears an emptied optional field. */
export function spendFormToBody(body: FormBody, clearEmpty: boolean): FormBody {
  const out: FormBody = {
    date: str(body, 'date'),
    toolId: str(body, 'toolId'),
    costType: str(body, 'costType'),
    amount: { amount: formAmount(str(body, 'amount')), currency: formCurrency(str(body, 'currency')) },
  };
  for (const field of ['contractId', 'description', 'externalRef']) {
    if (str(body, field)) out[field] = str(body, field);
    else if (clearEmpty) out[field] = null;
  }
  const allocation = ALLOCATION_ROWS.flatMap((rowIndex) => {
    const cc = str(body, `cc${rowIndex}`);
    const pct = str(body, `pct${rowIndex}`);
    return cc || pct ? [{ costCenterId: cc, shareBps: percentToBps(pct) }] : [];
  });
  if (allocation.length) out.allocation = allocation;
  else if (clearEmpty) out.allocation = null;
  if (clearEmpty && /^\d+$/.test(str(body, 'version'))) out.version = Number(str(body, 'version'));
  return out;
}

/** A spend entry as the spend form's flat fields. */
function spendToForm(entry: Awaited<ReturnType<SpendEntriesService['get']>>): FormBody {
  const form: FormBody = {
    date: entry.date,
    toolId: entry.toolId,
    contractId: entry.contractId,
    costType: entry.costType,
    amount: entry.amount.amount,
    currency: entry.amount.currency,
    description: entry.description,
    externalRef: entry.externalRef,
    version: entry.version,
  };
  (entry.allocation ?? []).forEach((share, rowIndex) => {
    form[`cc${rowIndex}`] = share.costCenterId;
    form[`pct${rowIndex}`] = (share.shareBps / 100).toFixed(2).replace(/\.00$/, '');
  });
  return form;
}

/**
 * Finance's workspace: spend entries, budgets per cost center × fiscal year and FX rates, written
 * through the same DTOs and services as the API. The report readers (CMO, CIO, FINANCE, ADMIN) see
 * them; only FINANCE writes (SPEC §1).
 */
@ApiExcludeController()
@Controller('finance')
@UseGuards(WebGuard)
export class FinancePages {
  constructor(
    private readonly spend: SpendEntriesService,
    private readonly budgets: BudgetsService,
    private readonly rates: FxRatesService,
    private readonly contracts: ContractsService,
    private readonly reports: ReportsService,
    private readonly catalog: CatalogQueries,
    private readonly lookups: Lookups,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Allow(...FINANCE_READERS)
  index(@Res() res: Response) {
    res.redirect(303, '/finance/spend');
  }

  // ---- Spend entries -------------------------------------------------------------------------

  @Get('spend')
  @Allow(...FINANCE_READERS)
  async spendList(@CurrentUser() user: AuthUser, @Res() res: Response, @Query() query: Record<string, unknown>) {
    const { dto, errors } = await validateForm(SpendEntryQueryDto, cleanForm(query));
    const spendQuery = dto ?? new SpendEntryQueryDto();
    const [result, totals] = dto
      ? await Promise.all([this.spend.list({ ...spendQuery, pageSize: spendQuery.pageSize ?? 50 }), this.spend.totals(spendQuery)])
      : [{ items: [], page: 1, pageSize: 50, total: 0 }, []];
    const [tools, vendors, costCenters] = await Promise.all([
      this.catalog.liveToolChoices(),
      this.lookups.vendors(),
      this.lookups.costCenters(),
    ]);
    const names = await this.catalog.toolNames(result.items.map((e) => e.toolId));
    const filters = Object.fromEntries(
      Object.entries(query).filter(([k, v]) => typeof v === 'string' && v !== '' && k !== 'page'),
    ) as Record<string, string>;
    const qs = (p: number) => new URLSearchParams({ ...filters, page: String(p) }).toString();
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const ctx = await this.page.build(user, res, 'Spend', 'finance', {
      tab: 'spend',
      q: query,
      errors,
      filterError: Object.keys(errors).length
        ? 'Some filters need attention (marked below); no entries are listed until they are corrected.'
        : undefined,
      items: result.items.map((e) => ({ ...e, toolName: names.get(e.toolId) ?? e.toolId })),
      total: result.total,
      totals: totals.map((t) => ({ ...t, money: { amount: t.amount, currency: t.currency } })),
      page: result.page,
      pages,
      prev: result.page > 1 ? `/finance/spend?${qs(result.page - 1)}` : null,
      next: result.page < pages ? `/finance/spend?${qs(result.page + 1)}` : null,
      tools,
      vendors,
      costCenters,
      sources: Object.values(SpendSource),
      costTypes: Object.values(CostType),
      canWrite: hasRole(user, Role.FINANCE),
    });
    res
      .status(Object.keys(errors).length ? 400 : 200)
      .type('html')
      .send(this.views.render('finance-spend', ctx));
  }

  private async spendFormCtx(user: AuthUser, res: Response, title: string, extra: Record<string, unknown>) {
    const [tools, costCenters, contracts] = await Promise.all([
      this.catalog.liveToolChoices(),
      this.lookups.costCenters(),
      this.contracts.list({ page: 1, pageSize: 200 }),
    ]);
    const toolNames = await this.catalog.toolNames(contracts.items.map((c) => c.toolId));
    return this.page.build(user, res, title, 'finance', {
      tab: 'spend',
      tools,
      costCenters,
      costTypes: Object.values(CostType),
      rows: ALLOCATION_ROWS,
      contracts: contracts.items.map((c) => ({
        id: c.id,
        label: `${toolNames.get(c.toolId) ?? '—'} — ${c.reference ?? 'no reference'} (from ${c.startDate})`,
      })),
      ...extra,
    });
  }

  @Get('spend/new')
  @Allow(Role.FINANCE)
  async spendNew(@CurrentUser() user: AuthUser, @Res() res: Response, @Query('toolId') toolId?: string) {
    const form = { date: new Date().toISOString().slice(0, 10), currency: this.config.baseCurrency, costType: CostType.LICENSE, toolId };
    res
      .type('html')
      .send(
        this.views.render(
          'finance-spend-form',
          await this.spendFormCtx(user, res, 'Record spend', { form, errors: {}, action: '/finance/spend' }),
        ),
      );
  }

  @Post('spend')
  @Allow(Role.FINANCE)
  @SubmitOnce('spend.create')
  async spendCreate(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: FormBody) {
    const { dto, errors } = await validateForm(CreateSpendEntryDto, spendFormToBody(body, false));
    let refusal: DomainError | undefined;
    if (dto) {
      try {
        await this.spend.create(user, dto);
        return this.flash.redirect(res, `/finance/spend?toolId=${dto.toolId}`, { notice: 'Spend recorded' });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        refusal = err;
      }
    }
    const fe = refusal ? refusalErrors(refusal, SPEND_CODES, moneyFormField) : formFieldErrors(errors, moneyFormField);
    res
      .status(refusal ? refusal.status : 400)
      .type('html')
      .send(
        this.views.render(
          'finance-spend-form',
          await this.spendFormCtx(user, res, 'Record spend', {
            form: body,
            errors: fe,
            error: refusal ? readerRefusal(refusal) : formErrorSummary(fe, SPEND_MARKED),
            action: '/finance/spend',
          }),
        ),
      );
  }

  @Get('spend/:id/edit')
  @Allow(Role.FINANCE)
  async spendEdit(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const entry = await this.spend.get(id);
    res.type('html').send(
      this.views.render(
        'finance-spend-form',
        await this.spendFormCtx(user, res, 'Edit spend entry', {
          form: spendToForm(entry),
          errors: {},
          action: `/finance/spend/${id}`,
          editing: true,
          entryId: id,
          source: entry.source,
        }),
      ),
    );
  }

  @Post('spend/:id')
  @Allow(Role.FINANCE)
  async spendUpdate(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: FormBody) {
    const { dto, errors } = await validateForm(UpdateSpendEntryDto, spendFormToBody(body, true));
    let refusal: DomainError | undefined;
    if (dto) {
      try {
        const saved = await this.spend.update(id, dto);
        return this.flash.redirect(res, `/finance/spend?toolId=${saved.toolId}`, { notice: 'Spend entry saved' });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        refusal = err;
      }
    }
    const fe = refusal ? refusalErrors(refusal, SPEND_CODES, moneyFormField) : formFieldErrors(errors, moneyFormField);
    res
      .status(refusal ? refusal.status : 400)
      .type('html')
      .send(
        this.views.render(
          'finance-spend-form',
          await this.spendFormCtx(user, res, 'Edit spend entry', {
            form: body,
            errors: fe,
            error: refusal ? readerRefusal(refusal) : formErrorSummary(fe, SPEND_MARKED),
            action: `/finance/spend/${id}`,
            editing: true,
            entryId: id,
          }),
        ),
      );
  }

  @Post('spend/:id/delete')
  @Allow(Role.FINANCE)
  async spendDelete(@Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: FormBody) {
    const version = /^\d+$/.test(str(body, 'version')) ? Number(str(body, 'version')) : undefined;
    try {
      await this.spend.remove(id, version);
      this.flash.redirect(res, '/finance/spend', { notice: 'Spend entry deleted with its ledger rows' });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      this.flash.redirect(res, '/finance/spend', { error: readerRefusal(err) });
    }
  }

  // ---- Budgets ---------------------------------------------------------------------------------

  private currentFiscalYear(): number {
    return fiscalYearOf(monthOfDate(new Date().toISOString().slice(0, 10)), this.config.fiscalYearStartMonth);
  }

  /** The grid: cost centers × fiscal years, each cell its budget with the year's actual and committed spend. */
  private async budgetGrid(firstYear: number) {
    const years = Array.from({ length: GRID_YEARS }, (_, i) => firstYear + i);
    const base = this.config.baseCurrency;
    const perYear = await Promise.all(
      years.map(async (fy) => {
        const [budgets, report] = await Promise.all([
          this.budgets.list({ fiscalYear: fy, page: 1, pageSize: 200 }),
          this.reports.budgetVsActual({ fiscalYear: fy }).catch((err: unknown) => {
            if (err instanceof ReportingError && err.code === 'FX_RATE_MISSING') return err;
            throw err;
          }),
        ]);
        return { fy, budgets: new Map(budgets.items.map((b) => [b.costCenterId, b])), report };
      }),
    );
    const centers = await this.lookups.costCenters();
    const known = new Set(centers.map((c) => c.id));
    // A cost center with money or a budget that is no longer active still gets its row.
    const extra = new Map<string, { id: string; code: string; name: string; kind: string }>();
    for (const year of perYear) {
      if (!(year.report instanceof ReportingError))
        for (const reportRow of year.report.rows)
          if (!known.has(reportRow.costCenterId))
            extra.set(reportRow.costCenterId, {
              id: reportRow.costCenterId,
              code: reportRow.code,
              name: reportRow.name,
              kind: reportRow.kind,
            });
    }
    const rows = [...centers, ...extra.values()].map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      kind: c.kind,
      cells: perYear.map((year) => {
        const budget = year.budgets.get(c.id);
        const line = year.report instanceof ReportingError ? undefined : year.report.rows.find((r) => r.costCenterId === c.id);
        const budgetMinor = budget ? toMinor(budget.amount.amount) : null;
        const over = budgetMinor !== null && line ? toMinor(line.actual) > budgetMinor : false;
        const forecastOver = budgetMinor !== null && line ? toMinor(line.forecast) > budgetMinor : false;
        return {
          key: `${c.id}-${year.fy}`,
          fy: year.fy,
          costCenterId: c.id,
          budget,
          amount: budget ? groupThousands(budget.amount.amount) : '',
          actual: line ? { amount: line.actual, currency: base } : null,
          committed: line ? { amount: line.committed, currency: base } : null,
          forecast: line ? { amount: line.forecast, currency: base } : null,
          over,
          forecastOver: !over && forecastOver,
          overBy:
            over && budget && line
              ? { amount: minorToAmount(toMinor(line.actual) - budgetMinor!, budget.amount.amount), currency: base }
              : null,
          unavailable: year.report instanceof ReportingError,
        };
      }),
    }));
    const missing = perYear
      .filter((y) => y.report instanceof ReportingError)
      .map((y) => ({
        fy: y.fy,
        pairs: ((y.report as ReportingError).details as { currency: string; month: string }[])
          .map((p) => `${p.currency} ${p.month}`)
          .join(', '),
      }));
    return { years, rows, missing, base };
  }

  @Get('budgets')
  @Allow(...FINANCE_READERS)
  async budgetsPage(@CurrentUser() user: AuthUser, @Res() res: Response, @Query('from') from?: string) {
    res.type('html').send(this.views.render('finance-budgets', await this.budgetsCtx(user, res, from, {})));
  }

  private async budgetsCtx(
    user: AuthUser,
    res: Response,
    from: unknown,
    extra: { errors?: FieldErrors; error?: string; typed?: Record<string, string> },
  ) {
    const current = this.currentFiscalYear();
    const first =
      typeof from === 'string' && /^\d{4}$/.test(from) && Number(from) >= 2000 && Number(from) <= 2198 ? Number(from) : current - 1;
    const grid = await this.budgetGrid(first);
    for (const row of grid.rows)
      for (const cell of row.cells) {
        const typed = extra.typed?.[cell.key];
        if (typed !== undefined) cell.amount = typed;
        (cell as Record<string, unknown>).error = extra.errors?.[cell.key];
      }
    return this.page.build(user, res, 'Budgets', 'finance', {
      tab: 'budgets',
      ...grid,
      current,
      from: first,
      prev: `/finance/budgets?from=${first - 1}`,
      next: `/finance/budgets?from=${first + 1}`,
      canWrite: hasRole(user, Role.FINANCE),
      error: extra.error,
    });
  }

  @Post('budgets')
  @Allow(Role.FINANCE)
  @SubmitOnce('budget.create')
  async budgetCreate(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: FormBody) {
    const plain = {
      costCenterId: str(body, 'costCenterId'),
      fiscalYear: /^\d+$/.test(str(body, 'fiscalYear')) ? Number(str(body, 'fiscalYear')) : str(body, 'fiscalYear'),
      amount: { amount: formAmount(str(body, 'amount')), currency: this.config.baseCurrency },
    };
    const { dto, errors } = await validateForm(CreateBudgetDto, plain);
    return this.saveBudget(user, res, body, errors, dto && (() => this.budgets.create(dto)));
  }

  @Post('budgets/:id')
  @Allow(Role.FINANCE)
  async budgetUpdate(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: FormBody) {
    const plain = {
      amount: { amount: formAmount(str(body, 'amount')), currency: this.config.baseCurrency },
      ...(/^\d+$/.test(str(body, 'version')) ? { version: Number(str(body, 'version')) } : {}),
    };
    const { dto, errors } = await validateForm(UpdateBudgetDto, plain);
    return this.saveBudget(user, res, body, errors, dto && (() => this.budgets.update(id, dto)));
  }

  /** Saves one cell; a refusal re-renders the grid with the words next to that cell and the typed amount kept. */
  private async saveBudget(
    user: AuthUser,
    res: Response,
    body: FormBody,
    errors: FieldErrors,
    save: (() => Promise<{ costCenterId: string; fiscalYear: number }>) | undefined,
  ) {
    const key = `${str(body, 'costCenterId')}-${str(body, 'fiscalYear')}`;
    const label = `FY${str(body, 'fiscalYear')}`;
    let message: string | undefined;
    let status = 400;
    if (save) {
      try {
        const budget = await save();
        return this.flash.redirect(
          res,
          `/finance/budgets?from=${str(body, 'from') || budget.fiscalYear - 1}#b-${budget.costCenterId}-${budget.fiscalYear}`,
          { notice: `Budget ${label} saved` },
        );
      } catch (err) {
        if (!isDomainError(err)) throw err;
        message = readerRefusal(err);
        status = err.status;
      }
    } else {
      message = errors['amount.amount'] ?? errors.amount ?? Object.values(errors)[0];
    }
    const ctx = await this.budgetsCtx(user, res, str(body, 'from'), {
      errors: { [key]: message ?? 'Could not be saved' },
      typed: { [key]: str(body, 'amount') },
      error: `The ${label} budget was not saved (marked below).`,
    });
    res.status(status).type('html').send(this.views.render('finance-budgets', ctx));
  }

  // ---- FX rates --------------------------------------------------------------------------------

  private async fxCtx(
    user: AuthUser,
    res: Response,
    extra: { errors?: FieldErrors; error?: string; form?: FormBody; cellErrors?: Record<string, string>; typed?: Record<string, string> },
  ) {
    const [needs, recorded] = await Promise.all([this.rates.needs(), this.rates.list({ page: 1, pageSize: 200 })]);
    // The needed months carry their own rate (recorded ones beyond the newest 200 included).
    const byKey = new Map(
      [...recorded.items, ...needs.flatMap((n) => (n.rate ? [n.rate] : []))].map((r) => [`${r.currency}|${r.month}`, r]),
    );
    const needed = new Set(needs.map((n) => `${n.currency}|${n.month}`));
    const currencies = [...new Set([...needs.map((n) => n.currency), ...recorded.items.map((r) => r.currency)])].sort();
    const months = [...new Set([...needs.map((n) => n.month), ...recorded.items.map((r) => r.month)])].sort().reverse();
    const grid = months.map((month) => ({
      month,
      cells: currencies.map((currency) => {
        const key = `${currency}|${month}`;
        const rate = byKey.get(key);
        const id = `${currency}-${month}`;
        return {
          key: id,
          currency,
          month,
          rate,
          needed: needed.has(key),
          missing: !rate && needed.has(key),
          error: extra.cellErrors?.[id],
          typed: extra.typed?.[id] ?? rate?.rate ?? '',
        };
      }),
    }));
    const missing = needs.filter((n) => !n.rate).map((n) => `${n.currency} ${n.month}`);
    return this.page.build(user, res, 'FX rates', 'finance', {
      tab: 'fx',
      grid,
      currencies,
      missing,
      base: this.config.baseCurrency,
      canWrite: hasRole(user, Role.FINANCE),
      form: extra.form ?? {},
      errors: extra.errors ?? {},
      error: extra.error,
    });
  }

  @Get('fx-rates')
  @Allow(...FINANCE_READERS)
  async fxPage(@CurrentUser() user: AuthUser, @Res() res: Response) {
    res.type('html').send(this.views.render('finance-fx', await this.fxCtx(user, res, {})));
  }

  /** The add form (currency, month, rate) and the grid's "add the missing rate" cells post here. */
  @Post('fx-rates')
  @Allow(Role.FINANCE)
  @SubmitOnce('fx-rate.create')
  async fxCreate(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: FormBody) {
    const plain = { currency: formCurrency(str(body, 'currency')), month: str(body, 'month'), rate: str(body, 'rate').replace(',', '.') };
    const { dto, errors } = await validateForm(CreateFxRateDto, plain);
    const cell = str(body, 'cell') === '1';
    const key = `${plain.currency}-${plain.month}`;
    let refusal: DomainError | undefined;
    if (dto) {
      try {
        const rate = await this.rates.create(dto);
        return this.flash.redirect(res, '/finance/fx-rates', { notice: `${rate.currency} rate for ${rate.month} recorded` });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        refusal = err;
      }
    }
    const fe = refusal ? refusalErrors(refusal, { BASE_CURRENCY_RATE: 'currency', DUPLICATE_FX_RATE: 'month' }) : errors;
    const message = refusal ? readerRefusal(refusal) : (fe.rate ?? Object.values(fe)[0]);
    const ctx = cell
      ? await this.fxCtx(user, res, {
          cellErrors: { [key]: message },
          typed: { [key]: str(body, 'rate') },
          error: `The ${plain.currency} rate for ${plain.month} was not saved (marked below).`,
        })
      : await this.fxCtx(user, res, {
          form: body,
          errors: fe,
          error: refusal ? readerRefusal(refusal) : formErrorSummary(fe, ['currency', 'month', 'rate']),
        });
    res
      .status(refusal ? refusal.status : 400)
      .type('html')
      .send(this.views.render('finance-fx', ctx));
  }

  @Post('fx-rates/:id')
  @Allow(Role.FINANCE)
  async fxUpdate(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: FormBody) {
    const plain = {
      rate: str(body, 'rate').replace(',', '.'),
      ...(/^\d+$/.test(str(body, 'version')) ? { version: Number(str(body, 'version')) } : {}),
    };
    const { dto, errors } = await validateForm(UpdateFxRateDto, plain);
    let message: string | undefined;
    let status = 400;
    if (dto) {
      try {
        const rate = await this.rates.update(id, dto);
        return this.flash.redirect(res, '/finance/fx-rates', { notice: `${rate.currency} rate for ${rate.month} saved` });
      } catch (err) {
        if (!isDomainError(err)) throw err;
        message = readerRefusal(err);
        status = err.status;
      }
    } else {
      message = errors.rate ?? Object.values(errors)[0];
    }
    const rate = await this.rates.get(id);
    const key = `${rate.currency}-${rate.month}`;
    const ctx = await this.fxCtx(user, res, {
      cellErrors: { [key]: message ?? 'Could not be saved' },
      typed: { [key]: str(body, 'rate') },
      error: `The ${rate.currency} rate for ${rate.month} was not saved (marked below).`,
    });
    res.status(status).type('html').send(this.views.render('finance-fx', ctx));
  }
}

/** "60000.00" → 6000000n (the amounts of one currency share their decimals). */
function toMinor(amount: string): bigint {
  const neg = amount.startsWith('-');
  const [whole, frac = ''] = amount.replace('-', '').split('.');
  const minor = BigInt(whole + frac);
  return neg ? -minor : minor;
}

/** Minor units back to a decimal string with the decimals of `like`. */
function minorToAmount(minor: bigint, like: string): string {
  const digits = (like.split('.')[1] ?? '').length;
  const neg = minor < 0n;
  const digitsText = (neg ? -minor : minor).toString().padStart(digits + 1, '0');
  return `${neg ? '-' : ''}${digits ? `${digitsText.slice(0, -digits)}.${digitsText.slice(-digits)}` : digitsText}`;
}

/** "250000.00" as people read and type it: "250,000.00" (the form takes it back as typed). */
function groupThousands(amount: string): string {
  const [whole, frac] = amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}
