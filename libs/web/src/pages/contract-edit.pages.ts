import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CatalogQueries } from '@stackgate/catalog';
import {
  Billing,
  ContractResponse,
  ContractsService,
  ContractStatus,
  CostType,
  TerminateContractDto,
  UpdateContractDto,
} from '@stackgate/finance';
import { Allow, AuthUser, CurrentUser, DomainError, Role } from '@stackgate/platform';
import { FieldErrors, formErrorSummary, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';
import { Lookups } from './lookups';
import { FlashMessages } from '../session/flash';
import { contractFormToBody } from './contracts.pages';

/** The edit form's fields marked next to an input (the rest go to the summary above the form). */
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
];

/** What a person reads when the contract changed after they opened the form (the API's 409 STALE_VERSION). */
export const CONTRACT_CHANGED =
  'This contract was changed by someone else after you opened it. Open it again to see their changes, then make yours.';

/** Where to go back to: the contracts list or the tool page ("back" of the links; anything else is the tool page). */
const backTo = (back: unknown, toolId: string) => (back === 'list' ? '/contracts' : `/tools/${toolId}`);
const backParam = (back: unknown) => (back === 'list' ? 'list' : 'tool');

/** A contract as the values of the contract form (amount as typed, shares in percent, its own split only). */
export function contractEditForm(contract: ContractResponse): Record<string, unknown> {
  const form: Record<string, unknown> = {
    toolId: contract.toolId,
    reference: contract.reference ?? '',
    startDate: contract.startDate,
    termMonths: String(contract.termMonths),
    billing: contract.billing,
    amount: contract.amount.amount,
    currency: contract.amount.currency,
    costType: contract.costType,
    seats: contract.seats === null ? '' : String(contract.seats),
    noticeDays: String(contract.noticeDays),
    autoRenew: contract.autoRenew,
    version: String(contract.version),
  };
  if (contract.ownAllocation)
    contract.allocation.forEach((share, i) =>
      Object.assign(form, { [`cc${i}`]: share.costCenterId, [`pct${i}`]: String(share.shareBps / 100) }),
    );
  return form;
}

/**
 * The edit form as the API's PATCH body: the create form's fields, where an emptied reference or
 * seats count clears it, an empty split reverts to the tool's, and the version read is sent back.
 */
export function contractFormToUpdateBody(body: Record<string, unknown>): Record<string, unknown> {
  const { requestId, ...fields } = contractFormToBody(body);
  void requestId;
  const text = (key: string) => (typeof body[key] === 'string' ? body[key].trim() : '');
  const version = text('version');
  return {
    ...fields,
    reference: text('reference') || null,
    seats: fields.seats ?? null,
    allocation: fields.allocation ?? null,
    version: /^\d{1,10}$/.test(version) ? Number(version) : version,
  };
}

const bodyField = (field: string) =>
  field.startsWith('amount.currency')
    ? 'currency'
    : field.startsWith('amount')
      ? 'amount'
      : field.startsWith('allocation')
        ? 'allocation'
        : field.split('.')[0];

/** Finance edits and terminates contracts from the contracts list and the tool page. */
@ApiExcludeController()
@Controller('contracts')
@UseGuards(WebGuard)
export class ContractEditPages {
  constructor(
    private readonly contracts: ContractsService,
    private readonly catalog: CatalogQueries,
    private readonly lookups: Lookups,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
  ) {}

  @Get(':id/edit')
  @Allow(Role.FINANCE)
  async editForm(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('back') back?: string,
  ) {
    const contract = await this.contracts.get(id);
    res
      .type('html')
      .send(this.views.render('contract-form', await this.formCtx(user, res, contract, contractEditForm(contract), {}, back)));
  }

  @Post(':id')
  @Allow(Role.FINANCE)
  async update(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const contract = await this.contracts.get(id);
    const { dto, errors: raw } = await validateForm(UpdateContractDto, contractFormToUpdateBody(body));
    const errors: FieldErrors = {};
    for (const [field, message] of Object.entries(raw)) errors[bodyField(field)] ??= message;
    let error = errors.version ? CONTRACT_CHANGED : formErrorSummary(errors, MARKED);
    let status = 400;
    if (dto) {
      try {
        const saved = await this.contracts.update(id, dto);
        return this.flash.redirect(res, backTo(body.back, saved.toolId), { notice: 'Contract saved' });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        status = err.status;
        error = err.code === 'STALE_VERSION' ? CONTRACT_CHANGED : err.message;
      }
    }
    const form = { ...body, autoRenew: body.autoRenew === 'on' || body.autoRenew === 'true' };
    res
      .status(status)
      .type('html')
      .send(this.views.render('contract-form', await this.formCtx(user, res, contract, form, errors, body.back, error)));
  }

  @Get(':id/terminate')
  @Allow(Role.FINANCE)
  async terminateForm(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('back') back?: string,
  ) {
    const contract = await this.contracts.get(id);
    const form = { effectiveDate: new Date().toISOString().slice(0, 10), reason: '', version: String(contract.version) };
    res.type('html').send(this.views.render('contract-terminate', await this.terminateCtx(user, res, contract, form, {}, back)));
  }

  @Post(':id/terminate')
  @Allow(Role.FINANCE)
  async terminate(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const contract = await this.contracts.get(id);
    const text = (key: string) => (typeof body[key] === 'string' ? body[key].trim() : '');
    const version = text('version');
    const { dto, errors } = await validateForm(TerminateContractDto, {
      effectiveDate: text('effectiveDate'),
      reason: text('reason'),
      version: /^\d{1,10}$/.test(version) ? Number(version) : version,
    });
    let error = errors.version ? CONTRACT_CHANGED : formErrorSummary(errors, ['effectiveDate', 'reason']);
    let status = 400;
    if (dto) {
      try {
        const done = await this.contracts.terminate(id, dto);
        return this.flash.redirect(res, backTo(body.back, done.toolId), {
          notice: `Contract terminated as of ${dto.effectiveDate}; it no longer counts towards renewals or the tool's annual cost`,
        });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        status = err.status;
        if (err.code === 'TERMINATION_BEFORE_START') errors.effectiveDate = err.message;
        error = err.code === 'STALE_VERSION' ? CONTRACT_CHANGED : err.message;
      }
    }
    const form = { effectiveDate: text('effectiveDate'), reason: text('reason'), version };
    res
      .status(status)
      .type('html')
      .send(this.views.render('contract-terminate', await this.terminateCtx(user, res, contract, form, errors, body.back, error)));
  }

  private async formCtx(
    user: AuthUser,
    res: Response,
    contract: ContractResponse,
    form: Record<string, unknown>,
    errors: FieldErrors,
    back: unknown,
    error?: string,
  ) {
    const [tools, costCenters] = await Promise.all([this.catalog.liveToolChoices(), this.lookups.costCenters()]);
    return this.page.build(user, res, 'Edit the contract', 'contracts', {
      tools,
      costCenters,
      billings: Object.values(Billing),
      costTypes: Object.values(CostType),
      allocationRows: [0, 1, 2, 3],
      editing: {
        id: contract.id,
        back: backParam(back),
        cancelHref: backTo(back, contract.toolId),
        terminated: contract.status === ContractStatus.CANCELLED,
        terminatedOn: contract.terminatedOn,
      },
      form,
      errors,
      error,
    });
  }

  private async terminateCtx(
    user: AuthUser,
    res: Response,
    contract: ContractResponse,
    form: Record<string, unknown>,
    errors: FieldErrors,
    back: unknown,
    error?: string,
  ) {
    const toolName = (await this.catalog.toolNames([contract.toolId])).get(contract.toolId) ?? contract.toolId;
    return this.page.build(user, res, 'Terminate the contract', 'contracts', {
      contract: { ...contract, toolName },
      terminated: contract.status === ContractStatus.CANCELLED,
      back: backParam(back),
      cancelHref: backTo(back, contract.toolId),
      form,
      errors,
      error,
    });
  }
}
