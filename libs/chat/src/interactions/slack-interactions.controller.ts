import { Controller, Headers, HttpCode, Inject, Post, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { BearerTokenThrottle } from '@stackgate/identity';
import { APP_CONFIG, AppConfig, Public } from '@stackgate/platform';
import { SlackInteractionsError, SlackInteractionsErrorCode, SlackJsonErrorFilter } from './slack-interactions.errors';
import { SlackAnswer, SlackInteractionsService } from './slack-interactions.service';
import { parseSlackForm, readInteraction } from './slack-payload';
import { SlackReceipts } from './slack-receipts.service';
import { SLACK_SIGNATURE_PROBLEMS, SlackSignatureRefusal, slackSignatureRefusal } from './slack-signature';

/**
 * POST /slack/interactions: Slack's interactivity requests (buttons, modal submissions). Outside /api
 * and without a session: the only credential is Slack's signature over the raw body, checked before
 * anything else; failed signatures count against the caller's address like invalid API tokens (429).
 */
@ApiExcludeController()
@UseFilters(SlackJsonErrorFilter)
@Controller('slack')
export class SlackInteractionsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly throttle: BearerTokenThrottle,
    private readonly receipts: SlackReceipts,
    private readonly interactions: SlackInteractionsService,
  ) {}

  @Post('interactions')
  @Public()
  @HttpCode(200)
  async interact(
    @Req() req: Request,
    @Headers('x-slack-request-timestamp') timestamp: string | undefined,
    @Headers('x-slack-signature') signature: string | undefined,
    @Headers('x-slack-retry-num') retryNum: string | undefined,
  ): Promise<SlackAnswer> {
    const secret = this.config.slackSigningSecret;
    if (!secret)
      throw new SlackInteractionsError(
        SlackInteractionsErrorCode.SLACK_NOT_CONFIGURED,
        'Acting from Slack is not set up on this Stackgate (SLACK_SIGNING_SECRET is not set)',
      );
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let refusal: SlackSignatureRefusal | null = null;
    const verified = await this.throttle.verify(signature ?? '', req.ip, async () => {
      refusal = slackSignatureRefusal(secret, { timestamp, signature, rawBody });
      return refusal ? null : true;
    });
    if (!verified) throw new SlackInteractionsError(SlackInteractionsErrorCode.SLACK_SIGNATURE_INVALID, SLACK_SIGNATURE_PROBLEMS[refusal!]);
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(req.headers['content-type'] ?? ''))
      throw new SlackInteractionsError(
        SlackInteractionsErrorCode.SLACK_UNSUPPORTED_MEDIA_TYPE,
        'Slack interactions are sent as application/x-www-form-urlencoded with a payload field',
      );
    const interaction = readInteraction(parseSlackForm(rawBody));
    if (!(await this.receipts.claim(timestamp!, signature!, rawBody))) {
      // Slack's own retry of a delivery already taken (it sends X-Slack-Retry-Num): 200, so Slack stops, and nothing is done twice.
      if (retryNum !== undefined) return null;
      throw new SlackInteractionsError(
        SlackInteractionsErrorCode.SLACK_REQUEST_REPLAYED,
        'This request was already received; each signed Slack request is accepted once',
      );
    }
    return this.interactions.handle(interaction);
  }
}
