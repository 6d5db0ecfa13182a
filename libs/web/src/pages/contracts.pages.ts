import { Body, Controller, Get, OnModuleDestroy, OnModuleInit, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CatalogQueries } from '@stackgate/catalog';
import { ApprovedCommitmentsService, Billing, ContractsService, ContractStatus, CostType, CreateContractDto } from '@stackgate/finance';
import { Allow, AuthUser, CurrentUser, DomainError, hasRole, Role } from '@stackgate/platform';
import { HomeContribution, homeContributions } from './home.pages';
import { cleanForm, FieldErrors, formAmount, formCurrency, formErrorSummary, percentToBps, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';
import { Lookups } from './lookups';
import { FlashMessages } from '../session/flash';
import { SubmitOnce } from '../session/submit-once';

const READERS = [Role.CMO, Role.CIO, Role.FINANCE, Role.ADMIN];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALLOCATION_ROWS = 4;
/** The fields the contract form marks next to an input (the rest go to the summary above the form). */
const MARKED = [
  'toolId',
  'reference',
  'startDate',
  'termMonths',
  'billing',
  'amount',
  'currency',
  'costType',
  'seats',
  'noticeDays',
  'allocation',
  'requestId',
];

/** The contract form's flat fields as the API's create body (percent shares, amounts as people type them). */
export function contractFormToBody(body: Record<string, unknown>): Record<string, unknown> {
  const str = (k: string) => (typeof body[k] === 'string' ? body[k].trim() : '');
  const plain = cleanForm(
    { termMonths: body.termMonths, seats: body.seats, noticeDays: body.noticeDays },
    { ints: ['termMonths', 'seats', 'noticeDays'] },
  );
  const out: Record<string, unknown> = {
    toolId: str('toolId'),
    startDate: str('startDate'),
    billing: str('billing'),
    costType: str('costType') || undefined,
    amount: { amount: formAmount(str('amount')), currency: formCurrency(str('currency')) || 'EUR' },
    autoRenew: body.autoRenew === 'on' || body.autoRenew === 'true',
    ...plain,
  };
  if (str('reference')) out.reference = str('reference');
  if (str('requestId')) out.requestId = str('requestId');
  const allocation = [];
  for (let i = 0; i < ALLOCATION_ROWS; i++) {
    const cc = str(`cc${i}`);
    const pct = str(`pct${i}`);
    if (!cc && !pct) continue;
    allocation.push({ costCenterId: cc, shareBps: percentToBps(pct) });
  }
  if (allocation.length) out.allocation = allocation;
  for (const field of Object.keys(out)) if (out[field] === undefined) delete out[field];
  return out;
}

/** The renewal windows the contracts list offers: renews within N days, or the cancel-by date has passed. */
export const RENEWAL_WINDOWS = [
  { value: '30', label: 'Renews within 30 days' },
  { value: '60', label: 'Renews within 60 days' },
  { value: '90', label: 'Renews within 90 days' },
  { value: 'cancel-by-passed', label: 'Cancel-by date passed, still running' },
] as const;

export interface ContractListFilter {
  toolId?: string;
  vendorId?: string;
  status?: ContractStatus;
  renewal?: string;
}

/**
 * The contracts list's filter from its query string (bookmarkable): values that are not a known
 * choice are dropped and named in `ignored`, so a hostile or stale link shows the whole list with
 * a note instead of an error or an echo of the value.
 */
export function contractListFilter(query: Record<string, unknown>): { filter: ContractListFilter; ignored: string[] } {
  const filter: ContractListFilter = {};
  const ignored: string[] = [];
  const take = (key: keyof ContractListFilter, label: string, ok: (value: string) => boolean) => {
    const raw = query[key];
    if (raw === undefined || raw === '') return;
    if (typeof raw === 'string' && ok(raw)) (filter as Record<string, string>)[key] = raw;
    else ignored.push(label);
  };
  take('toolId', 'tool', (v) => UUID.test(v));
  take('vendorId', 'vendor', (v) => UUID.test(v));
  take('status', 'status', (v) => (Object.values(ContractStatus) as string[]).includes(v));
  take('renewal', 'renewal window', (v) => RENEWAL_WINDOWS.some((w) => w.value === v));
  return { filter, ignored };
}

/** The list filter as the contracts service's query. */
export function contractListQuery(filter: ContractListFilter) {
  const renewal = filter.renewal;
  return {
    toolId: filter.toolId,
    vendorId: filter.vendorId,
    status: filter.status,
    ...(renewal === 'cancel-by-passed' ? { cancelByPassed: true } : renewal ? { renewsWithinDays: Number(renewal) } : {}),
  };
}

/** Where an error of a body field is marked on the form. */
function formField(bodyField: string): string {
  if (bodyField.startsWith('amount.currency')) return 'currency';
  if (bodyField.startsWith('amount')) return 'amount';
  if (bodyField.startsWith('allocation')) return 'allocation';
  return bodyField.split('.')[0];
}

/** Finance's contracts: the list with filters, the queue of approved requests awaiting a contract, and the create form. */
@ApiExcludeController()
@Controller()
@UseGuards(WebGuard)
export class ContractsPages implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly contracts: ContractsService,
    private readonly commitments: ApprovedCommitmentsService,
    private readonly catalog: CatalogQueries,
    private readonly lookups: Lookups,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
  ) {}

  /** Finance's home page: the approved requests awaiting their contract. */
  private readonly homePanel: HomeContribution = async (user) => {
    if (!hasRole(user, Role.FINANCE)) return {};
    const page = await this.commitments.list({ page: 1, pageSize: 10 });
    const names = await this.catalog.toolNames(page.items.map((a) => a.toolId));
    return {
      awaitingContracts: { total: page.total, items: page.items.map((a) => ({ ...a, toolName: names.get(a.toolId) ?? a.toolId })) },
    };
  };

  onModuleInit(): void {
    homeContributions.push(this.homePanel);
  }

  /** The list is shared by the process: an app that closes (a test's, say) takes its panel with it, or the next app's home fails. */
  onModuleDestroy(): void {
    const at = homeContributions.indexOf(this.homePanel);
    if (at >= 0) homeContributions.splice(at, 1);
  }

  @Get('contracts')
  @Allow(...READERS)
  async list(@CurrentUser() user: AuthUser, @Res() res: Response, @Query() query: Record<string, unknown>) {
    const { filter, ignored } = contractListFilter(query);
    const [page, awaiting, tools, vendors] = await Promise.all([
      this.contracts.list({ ...contractListQuery(filter), page: 1, pageSize: 200, sort: 'cancelByDate' }),
      this.commitments.list({ page: 1, pageSize: 50 }),
      this.catalog.liveToolChoices(),
      this.lookups.vendors(),
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const names = await this.catalog.toolNames([...page.items.map((c) => c.toolId), ...awaiting.items.map((a) => a.toolId)]);
    const ctx = await this.page.build(user, res, 'Contracts', 'contracts', {
      contracts: page.items.map((c) => ({
        ...c,
        toolName: names.get(c.toolId) ?? c.toolId,
        cancelByPassed: c.status === ContractStatus.ACTIVE && c.cancelByDate < today && c.endDate >= today,
      })),
      total: page.total,
      awaiting: awaiting.items.map((a) => ({ ...a, toolName: names.get(a.toolId) ?? a.toolId })),
      awaitingTotal: awaiting.total,
      tools,
      vendors,
      statuses: Object.values(ContractStatus),
      renewalWindows: RENEWAL_WINDOWS,
      filter,
      filtered: Object.keys(filter).length > 0,
      ignoredFilters: ignored.length ? `Filter values not understood and ignored: ${ignored.join(', ')}.` : null,
    });
    res.type('html').send(this.views.render('contracts', ctx));
  }

  @Get('contracts/new')
  @Allow(Role.FINANCE)
  async newForm(@CurrentUser() user: AuthUser, @Res() res: Response, @Query() query: Record<string, string>) {
    const form: Record<string, unknown> = {
      billing: Billing.ANNUAL,
      costType: CostType.LICENSE,
      termMonths: '12',
      currency: 'EUR',
      noticeDays: '0',
    };
    let request = null;
    if (UUID.test(query.requestId ?? '')) {
      request = await this.commitments.findForRequest(query.requestId);
      if (request) {
        // Prefilled from the approved request: tool, amount, currency, split, start = approval date, 12 months billed annually.
        Object.assign(form, {
          requestId: request.requestId,
          toolId: request.toolId,
          startDate: request.approvedOn,
          amount: request.estimatedAnnualCost.amount,
          currency: request.estimatedAnnualCost.currency,
          reference: '',
        });
        request.allocation.forEach((a, i) =>
          Object.assign(form, { [`cc${i}`]: a.costCenterId, [`pct${i}`]: (a.shareBps / 100).toString() }),
        );
      }
    } else if (UUID.test(query.toolId ?? '')) {
      form.toolId = query.toolId;
    }
    res.type('html').send(this.views.render('contract-form', await this.formCtx(user, res, { form, errors: {}, request })));
  }

  @Post('contracts')
  @Allow(Role.FINANCE)
  @SubmitOnce('contract.create')
  async create(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const { dto, errors: raw } = await validateForm(CreateContractDto, contractFormToBody(body));
    const errors: FieldErrors = {};
    for (const [field, message] of Object.entries(raw)) errors[formField(field)] ??= message;
    let error = formErrorSummary(errors, MARKED);
    if (dto) {
      try {
        const contract = await this.contracts.create(user, dto);
        return this.flash.redirect(res, `/tools/${contract.toolId}`, {
          notice: dto.requestId ? 'Contract attached to the approved request; its pending amount is retired' : 'Contract recorded',
        });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        error = err.message;
      }
    }
    const requestId = typeof body.requestId === 'string' && UUID.test(body.requestId) ? body.requestId : null;
    const request = requestId ? await this.commitments.findForRequest(requestId) : null;
    res
      .status(dto ? 409 : 400)
      .type('html')
      .send(this.views.render('contract-form', await this.formCtx(user, res, { form: body, errors, error, request })));
  }

  private async formCtx(user: AuthUser, res: Response, extra: Record<string, unknown>) {
    const [tools, costCenters] = await Promise.all([this.catalog.liveToolChoices(), this.lookups.costCenters()]);
    return this.page.build(user, res, extra.request ? 'Attach the contract' : 'Add a contract', 'contracts', {
      tools,
      costCenters,
      billings: Object.values(Billing),
      costTypes: Object.values(CostType),
      allocationRows: [0, 1, 2, 3],
      ...extra,
    });
  }
}
