import type { EventPreferences, NotificationPreferencesView } from '@stackgate/notifications';
import { settingsChange, settingsTable } from './notification-settings';

const event = (name: string, category: string, over: Partial<EventPreferences> = {}): EventPreferences => ({
  event: name,
  label: name,
  category,
  categoryLabel: `${category} label`,
  inbox: true,
  email: true,
  slack: true,
  mandatory: [],
  ...over,
});
const view: NotificationPreferencesView = {
  events: [
    event('review-needed', 'REVIEWS'),
    event('stage-overdue', 'REVIEWS', { email: false }),
    event('webhook-disabled', 'ADMIN', { mandatory: ['inbox', 'email'] }),
    event('test-notice', 'ADMIN'),
  ],
  digests: { reviewer: true, budgetOwner: false },
};
const all = { 'REVIEWS:inbox': 'on', 'ADMIN:inbox': 'on', 'ADMIN:email': 'on', 'digest:reviewer': 'on' };

describe('notification settings form', () => {
  it('shows one row per category, ticked when every event uses the channel, "some" when only a few do', () => {
    const table = settingsTable(view, false);
    expect(table.columns.map((c) => c.channel)).toEqual(['inbox', 'email']);
    expect(table.rows.map((r) => r.cells.map((c) => [c.name, c.checked, c.mixed]))).toEqual([
      [
        ['REVIEWS:inbox', true, false],
        ['REVIEWS:email', false, true],
      ],
      [
        ['ADMIN:inbox', true, false],
        ['ADMIN:email', true, false],
      ],
    ]);
    expect(settingsTable(view, true).columns.map((c) => c.channel)).toEqual(['inbox', 'email', 'slack']);
  });

  it('changes only what differs from the page, never a mandatory channel, and leaves Slack alone when it is not shown', () => {
    expect(settingsChange(view, false, all)).toEqual({ events: [], digests: { reviewer: true, budgetOwner: false } });
    expect(settingsChange(view, false, { ...all, 'REVIEWS:email': 'on', 'ADMIN:email': undefined, 'REVIEWS:inbox': undefined })).toEqual({
      events: [
        { event: 'review-needed', inbox: false },
        { event: 'stage-overdue', inbox: false, email: true },
        { event: 'test-notice', email: false },
      ],
      digests: { reviewer: true, budgetOwner: false },
    });
    expect(settingsChange(view, true, { ...all, 'REVIEWS:email': 'on', 'ADMIN:slack': 'on' }).events).toEqual([
      { event: 'stage-overdue', email: true, slack: false },
      { event: 'review-needed', slack: false },
    ]);
  });
});
