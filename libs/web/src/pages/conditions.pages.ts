import { Body, Controller, Param, ParseUUIDPipe, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, DomainError, hasRole, Role } from '@stackgate/platform';
import { ConditionAction, ConditionState, ConditionView, RequestConditionsService } from '@stackgate/procurement';
import { FlashMessages } from '../session/flash';
import { WebGuard } from '../web.guard';

/** The actions a viewer may take on each condition (the service checks again). */
export function withConditionActions(user: AuthUser, conditions: ConditionView[], opts: { showRequest?: boolean } = {}) {
  const verifier = hasRole(user, Role.IT, Role.CIO);
  return conditions.map((condition) => {
    const active = !!condition.toolId; // a tool only once the request is approved
    return {
      ...condition,
      showRequest: !!opts.showRequest,
      canDone: active && condition.state === ConditionState.OPEN && (verifier || condition.ownerId === user.id),
      canVerify: active && condition.state === ConditionState.DONE && verifier && condition.doneById !== user.id,
      canReopen: active && condition.state !== ConditionState.OPEN && verifier,
    };
  });
}

/** Where a condition form returns: the page it was sent from (a request, a tool or home), never elsewhere. */
const backTo = (back: unknown, fallback: string) =>
  typeof back === 'string' && /^\/(?:(?:requests|tools)\/[0-9a-f-]{36})?(?:#conditions)?$/i.test(back) ? back : fallback;

const NOTICES: Record<ConditionAction, string> = {
  done: 'Condition marked done; IT verifies it next.',
  verify: 'Condition verified.',
  reopen: 'Condition reopened; its owner is told why.',
};

@ApiExcludeController()
@Controller('conditions')
@UseGuards(WebGuard)
export class ConditionsPages {
  constructor(
    private readonly conditions: RequestConditionsService,
    private readonly flash: FlashMessages,
  ) {}

  @Post(':id/:action')
  @Allow(ANY_ROLE)
  async act(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('action') action: string,
    @Body() body: Record<string, unknown>,
  ) {
    if (!(action in NOTICES)) return this.flash.redirect(res, '/', { error: 'Unknown action on a condition' });
    const conditionAction = action as ConditionAction;
    let fallback = '/';
    try {
      const condition = await this.conditions.transition(user, id, conditionAction, typeof body.reason === 'string' ? body.reason : null);
      fallback = `/requests/${condition.requestId}#conditions`;
      return this.flash.redirect(res, backTo(body.back, fallback), { notice: NOTICES[conditionAction] });
    } catch (err) {
      if (!(err instanceof DomainError) || err.status === 404) throw err;
      return this.flash.redirect(res, backTo(body.back, fallback), { error: err.message });
    }
  }
}
