import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CatalogChangeHooks, ShadowItEntry, ShadowItEntryKind } from '@stackgate/catalog';
import { PeopleDirectory } from '@stackgate/identity';
import { NotificationsService } from '@stackgate/notifications';
import { AuthUser, Role } from '@stackgate/platform';

/** How many tool names a batch notice lists before "and N more". */
const NAMES_LISTED = 10;

const VERB: Record<ShadowItEntryKind, string> = { registered: 'registered', imported: 'imported', updated: 'moved into use' };

/**
 * Tells IT and the CIO (in-app and e-mail, through the outbox) when tools become shadow IT: a tool
 * registered or imported as ACTIVE without IT approval, or moved into use without it. One notice per
 * tool (deduplicated per tool and recipient), or one for a whole import naming its tools; the user
 * who made the change is not told about their own change (the API and the web page tell them).
 */
@Injectable()
export class ShadowItNotices implements OnModuleInit {
  constructor(
    private readonly hooks: CatalogChangeHooks,
    private readonly notifications: NotificationsService,
    private readonly people: PeopleDirectory,
  ) {}

  onModuleInit(): void {
    this.hooks.register({ toolsEnteredShadowIt: (m, tools, actor, how) => this.notify(m, tools, actor, how) });
  }

  async notify(manager: EntityManager, tools: ShadowItEntry[], actor: AuthUser | null, how: ShadowItEntryKind): Promise<void> {
    if (!tools.length) return;
    const recipients = (await this.people.activeWithRoles([Role.IT, Role.CIO], manager)).filter((u) => u.id !== actor?.id);
    if (!recipients.length) return;
    const single = tools.length === 1;
    const first = tools[0];
    await this.notifications.enqueue(manager, {
      event: 'shadow-it-detected',
      recipients,
      data: {
        single,
        firstName: first.name,
        count: tools.length,
        how: VERB[how],
        actorName: actor?.displayName || actor?.email || 'the system',
        names: tools
          .slice(0, NAMES_LISTED)
          .map((t) => t.name)
          .join(', '),
        more: Math.max(0, tools.length - NAMES_LISTED),
        link: single ? `/tools/${first.id}` : '/catalog?shadowIt=true',
      },
      entityType: 'Tool',
      entityId: first.id,
      link: single ? `/tools/${first.id}` : '/catalog?shadowIt=true',
      dedupeKey: single ? `shadow-it:${first.id}` : `shadow-it-batch:${first.id}:${tools.length}`,
    });
  }
}
