import { PageQueryDto, StringField, UuidField } from '@stackgate/platform';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export class AuditQueryDto extends PageQueryDto {
  @StringField({ optional: true, max: 60, pattern: /^[A-Za-z]+$/, description: 'Entity type, e.g. Tool, ToolRequest, User' })
  entityType?: string;

  @StringField({ optional: true, max: 36, description: 'Entity id' })
  entityId?: string;

  @UuidField({ optional: true, description: 'Who acted' })
  actorId?: string;

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
