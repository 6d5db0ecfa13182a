import { EnumField, PageQueryDto, StringField, UuidField } from '@stackgate/platform';

/** Who acted, as the audit filter tells them apart. */
export const AUDIT_ACTOR_KINDS = ['PERSON', 'API_TOKEN', 'NONE'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export class AuditQueryDto extends PageQueryDto {
  @StringField({ optional: true, max: 60, pattern: /^[A-Za-z]+$/, description: 'Entity type, e.g. Tool, ToolRequest, User' })
  entityType?: string;

  @StringField({ optional: true, max: 36, description: 'Entity id' })
  entityId?: string;

  @UuidField({ optional: true, description: 'Who acted' })
  actorId?: string;

  @UuidField({ optional: true, description: 'The API token the action was taken with (the `id` of GET /api/v1/api-tokens)' })
  tokenId?: string;

  @EnumField(AUDIT_ACTOR_KINDS, {
    optional: true,
    description: 'PERSON: a signed-in person (not through a token); API_TOKEN: any API token; NONE: no actor (jobs, failed sign-ins)',
  })
  actorKind?: AuditActorKind;

  @StringField({
    optional: true,
    max: 35,
    pattern: ISO_INSTANT,
    patternMessage: 'from must be an ISO date or date-time',
    description: 'From (inclusive), ISO date or date-time',
  })
  from?: string;

  @StringField({
    optional: true,
    max: 35,
    pattern: ISO_INSTANT,
    patternMessage: 'to must be an ISO date or date-time',
    description: 'To (exclusive for date-times, inclusive for whole dates)',
  })
  to?: string;
}
