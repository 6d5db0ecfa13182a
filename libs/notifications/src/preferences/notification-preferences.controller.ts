import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Allow, ANY_ROLE, AuthUser, BoolField, CurrentUser, NestedField, StringField } from '@stackgate/platform';
import { NotificationPreferencesService, NotificationPreferencesView } from './notification-preferences.service';
import { CHANNELS } from './preference-rules';

export class EventPreferenceChangeDto {
  @StringField({ max: 60, description: 'The notification event (one of the `event` values GET lists), e.g. review-needed' })
  event: string;
  @BoolField({ optional: true, description: 'Listed in the in-app inbox (off: still kept, but hidden and not counted unread)' })
  inbox?: boolean;
  @BoolField({ optional: true, description: 'Sent by e-mail (when the server sends e-mail)' })
  email?: boolean;
  @BoolField({ optional: true, description: 'Sent as a Slack direct message (when Slack is configured)' })
  slack?: boolean;
}

export class DigestPreferenceChangeDto {
  @BoolField({ optional: true, description: 'The weekly digest of the reviews waiting for you (CMO, CIO, IT, finance)' })
  reviewer?: boolean;
  @BoolField({ optional: true, description: "The weekly digest of your budgets' renewals and unused seats (budget owners)" })
  budgetOwner?: boolean;
}

export class NotificationPreferencesChangeDto {
  @NestedField(() => EventPreferenceChangeDto, {
    optional: true,
    isArray: true,
    maxItems: 200,
    description: 'Channels to change, per event; channels not named keep their value',
  })
  events?: EventPreferenceChangeDto[];
  @NestedField(() => DigestPreferenceChangeDto, { optional: true, description: 'Digests to turn on or off' })
  digests?: DigestPreferenceChangeDto;
}

export class EventPreferencesResponse {
  @ApiProperty({ example: 'review-needed' }) event: string;
  @ApiProperty({ example: 'Review needed' }) label: string;
  @ApiProperty({ example: 'REVIEWS', description: 'REVIEWS, DECISIONS, CONDITIONS, RENEWALS, DISCOVERY, ADMIN or OTHER' }) category: string;
  @ApiProperty({ example: 'Reviews waiting for me' }) categoryLabel: string;
  @ApiProperty() inbox: boolean;
  @ApiProperty() email: boolean;
  @ApiProperty() slack: boolean;
  @ApiProperty({
    enum: CHANNELS,
    isArray: true,
    description: 'Channels that cannot be turned off for this event (security and admin notices)',
  })
  mandatory: string[];
}

export class DigestPreferencesResponse {
  @ApiProperty() reviewer: boolean;
  @ApiProperty() budgetOwner: boolean;
}

export class NotificationPreferencesResponse {
  @ApiProperty({ type: EventPreferencesResponse, isArray: true }) events: EventPreferencesResponse[];
  @ApiProperty({ type: DigestPreferencesResponse }) digests: DigestPreferencesResponse;
}

/** The signed-in person's notification channels per event and their weekly digests. */
@ApiTags('notifications')
@Controller('me/notification-preferences')
export class NotificationPreferencesController {
  constructor(private readonly preferences: NotificationPreferencesService) {}

  @ApiOperation({
    summary: 'Your notification channels per event (inbox, e-mail, Slack direct message) and your weekly digests',
    description: 'Defaults: every channel on, both digests on. `mandatory` names channels an event always uses.',
  })
  @Get()
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: NotificationPreferencesResponse })
  get(@CurrentUser() actor: AuthUser): Promise<NotificationPreferencesView> {
    return this.preferences.get(actor.id);
  }

  @ApiOperation({
    summary: 'Change some of your notification preferences',
    description:
      'Partial: only the events, channels and digests named change. An unknown event or channel, or turning off a mandatory ' +
      'channel, is a 400 and changes nothing. Audited (`notification_preferences.updated`). Answers the preferences as GET does.',
  })
  @Put()
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: NotificationPreferencesResponse })
  update(@CurrentUser() actor: AuthUser, @Body() body: NotificationPreferencesChangeDto): Promise<NotificationPreferencesView> {
    return this.preferences.update(actor, body);
  }
}
