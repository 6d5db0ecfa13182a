import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { RecordRenewalDecisionDto, RENEWAL_STATES, RenewalDecisionKind, RenewalRowResponse, RenewalsService } from '@stackgate/finance';
import { PeopleDirectory } from '@stackgate/identity';
import { Allow, AuthUser, CurrentUser, DomainError, Role } from '@stackgate/platform';
import { cleanForm, FieldErrors, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { FlashMessages } from '../session/flash';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

const READERS = [Role.CMO, Role.CIO, Role.FINANCE, Role.ADMIN];
const STATE_LABELS: Record<string, string> = { UPCOMING: 'Upcoming', DECISION_DUE: 'Decision due', MISSED: 'Missed', DECIDED: 'Decided' };
const DECISIONS: { value: RenewalDecisionKind; label: string }[] = [
  { value: RenewalDecisionKind.RENEW, label: 'Renew' },
  { value: RenewalDecisionKind.RENEGOTIATE, label: 'Renegotiate' },
  { value: RenewalDecisionKind.DOWNSIZE, label: 'Downsize to N seats' },
  { value: RenewalDecisionKind.CANCEL, label: 'Cancel' },
];
/** Reader words for the DTO's field names. */
const FIELD_LABELS: Record<string, string> = {
  decision: 'Decision',
  seats: 'Seats to keep',
  ownerId: 'Owner',
  rationale: 'Rationale',
  version: 'Version',
};

function decisionLabel(decision: RenewalRowResponse['decision']): string {
  if (!decision) return '';
  return decision.decision === RenewalDecisionKind.DOWNSIZE
    ? `Downsize to ${decision.seats} seats`
    : DECISIONS.find((x) => x.value === decision.decision)!.label;
}

/** A tiny inline bar chart of the monthly cost trend (SVG, scaled to the largest month). */
function trendBars(points: RenewalRowResponse['costTrend']): { x: number; h: number; y: number; title: string }[] {
  const values = points.map((p) => Number(p.amount.amount));
  const max = Math.max(...values, 0);
  return points.map((point, index) => {
    const barHeight = max > 0 ? Math.max(1, Math.round((Number(point.amount.amount) / max) * 20)) : 1;
    return { x: index * 9, h: barHeight, y: 22 - barHeight, title: `${point.month}: ${point.amount.amount} ${point.amount.currency}` };
  });
}

/**
 * The renewal workbench: every current contract term by cancel-by date with its state (missed and
 * overdue in red), utilisation, cost trend and the decision form. Calls finance's RenewalsService,
 * the same service as GET/PUT /api/v1/renewals.
 */
@ApiExcludeController()
@Controller('renewals')
@UseGuards(WebGuard)
export class RenewalsPages {
  constructor(
    private readonly renewals: RenewalsService,
    private readonly people: PeopleDirectory,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
  ) {}

  private async render(
    user: AuthUser,
    res: Response,
    state: string | undefined,
    extra: { formFor?: string; form?: Record<string, unknown>; errors?: FieldErrors; error?: string } = {},
    status = 200,
  ) {
    const filter = state && (RENEWAL_STATES as readonly string[]).includes(state) ? state : undefined;
    const result = await this.renewals.list(user, { state: filter as never, pageSize: 200 });
    const people = await this.people.activePeople();
    const rows = result.items.map((renewal) => {
      const mine = extra.formFor === renewal.contractId;
      const form = mine
        ? (extra.form ?? {})
        : renewal.decision
          ? {
              decision: renewal.decision.decision,
              seats: renewal.decision.seats ?? '',
              ownerId: renewal.decision.owner.id,
              rationale: renewal.decision.rationale,
            }
          : { ownerId: user.id };
      return {
        ...renewal,
        stateLabel: STATE_LABELS[renewal.state],
        daysText:
          renewal.daysToCancelBy === 0
            ? 'today'
            : renewal.daysToCancelBy < 0
              ? `passed ${-renewal.daysToCancelBy} day${renewal.daysToCancelBy === -1 ? '' : 's'} ago`
              : `${renewal.daysToCancelBy} day${renewal.daysToCancelBy === 1 ? '' : 's'} left`,
        stateClass: renewal.state.toLowerCase().replace('_', '-'),
        decisionLabel: decisionLabel(renewal.decision),
        utilisationPercent: renewal.utilisation === null ? null : Math.round(Number(renewal.utilisation) * 100),
        lowUse: renewal.utilisation !== null && Number(renewal.utilisation) < 0.5,
        trend: trendBars(renewal.costTrend),
        trendWord: { UP: 'rising', DOWN: 'falling', FLAT: 'flat' }[renewal.costTrendDirection],
        sunsetting: renewal.toolLifecycle === 'SUNSETTING',
        form,
        errors: mine ? (extra.errors ?? {}) : {},
        open: mine,
        version: renewal.decision?.version ?? '',
        people: people.map((p) => ({ ...p, selected: p.id === form.ownerId })),
        decisions: DECISIONS.map((d) => ({ ...d, selected: d.value === form.decision })),
      };
    });
    const tabs = [
      { href: '/renewals', label: `All (${Object.values(result.counts).reduce((a, b) => a + b, 0)})`, active: !filter },
      ...RENEWAL_STATES.map((s) => ({
        href: `/renewals?state=${s}`,
        label: `${STATE_LABELS[s]} (${result.counts[s] ?? 0})`,
        active: filter === s,
      })),
    ];
    const ctx = await this.page.build(user, res, 'Renewals', 'renewals', {
      rows,
      tabs,
      asOf: result.asOf,
      state: filter,
      error: extra.error,
    });
    res.status(status).type('html').send(this.views.render('renewals', ctx));
  }

  @Get()
  @Allow(...READERS)
  async list(@CurrentUser() user: AuthUser, @Res() res: Response, @Query('state') state?: string) {
    await this.render(user, res, typeof state === 'string' ? state : undefined);
  }

  @Post(':contractId/decision')
  @Allow(Role.FINANCE, Role.CMO, Role.CIO)
  async decide(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('contractId', ParseUUIDPipe) contractId: string,
    @Body() body: Record<string, unknown>,
  ) {
    const back = typeof body.state === 'string' && (RENEWAL_STATES as readonly string[]).includes(body.state) ? body.state : undefined;
    const { state: _s, ...fields } = body;
    void _s;
    const plain = cleanForm(fields, { ints: ['seats', 'version'] });
    if (plain.decision !== 'DOWNSIZE') delete plain.seats;
    const { dto, errors } = await validateForm(RecordRenewalDecisionDto, plain);
    if (!dto) {
      const worded = Object.fromEntries(Object.entries(errors).map(([f, m]) => [f, `${FIELD_LABELS[f] ?? f}: ${m}`]));
      return this.render(
        user,
        res,
        back,
        { formFor: contractId, form: body, errors: worded, error: 'Check the decision form: ' + Object.values(worded).join('; ') },
        400,
      );
    }
    try {
      const row = await this.renewals.decide(user, contractId, dto);
      return this.flash.redirect(res, back ? `/renewals?state=${back}` : '/renewals', {
        notice: `Decision recorded for ${row.tool.name}: ${decisionLabel(row.decision)}`,
      });
    } catch (err) {
      if (!(err instanceof DomainError) || err.status === 404 || err.status === 403) throw err;
      // The refusals a person fixes in one field are marked on it (the service names the field in details).
      const named = Array.isArray(err.details)
        ? (err.details as { field?: string }[]).find((d) => typeof d.field === 'string')?.field
        : undefined;
      const field = named ?? (err.code === 'RENEWAL_SEATS_NOT_FEWER' ? 'seats' : undefined);
      const message =
        err.code === 'STALE_VERSION'
          ? 'Someone changed this decision meanwhile; the list now shows theirs. Check it and record yours again.'
          : err.message;
      if (err.code === 'STALE_VERSION') return this.flash.redirect(res, '/renewals', { error: message });
      return this.render(
        user,
        res,
        back,
        { formFor: contractId, form: body, errors: field ? { [field]: message } : {}, error: message },
        err.status,
      );
    }
  }
}
