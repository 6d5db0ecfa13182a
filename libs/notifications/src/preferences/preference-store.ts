import { EntityManager, In } from 'typeorm';
import { NotificationPreference } from './notification-preference.entity';
import { ChannelSet, effectiveChannels } from './preference-rules';

export const storedChannels = (row: NotificationPreference | undefined): ChannelSet | null =>
  row ? { inbox: row.inbox, email: row.email, slack: row.slack } : null;

/** Each recipient's channels for `event` (stored choice or defaults, mandatory channels on): one query for all of them. */
export async function channelsFor(manager: EntityManager, userIds: readonly string[], event: string): Promise<Map<string, ChannelSet>> {
  const ids = [...new Set(userIds)];
  if (!ids.length) return new Map();
  const rows = await manager.getRepository(NotificationPreference).find({ where: { event, userId: In(ids) } });
  const byUser = new Map(rows.map((row) => [row.userId, row]));
  return new Map(ids.map((id) => [id, effectiveChannels(event, storedChannels(byUser.get(id)))]));
}
