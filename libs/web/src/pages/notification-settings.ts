import type { Channel, EventPreferences, NotificationPreferencesView, PreferencesChange } from '@stackgate/notifications';

/** The settings page's columns, in order; Slack only where Slack is set up. */
const COLUMNS: { channel: Channel; label: string }[] = [
  { channel: 'inbox', label: 'In the inbox' },
  { channel: 'email', label: 'By e-mail' },
  { channel: 'slack', label: 'Slack direct message' },
];

export interface SettingsCell {
  name: string;
  channel: Channel;
  columnLabel: string;
  checked: boolean;
  /** Some events of the category use the channel, others not. */
  mixed: boolean;
  /** Every event of the category has the channel mandatory: shown on and not changeable. */
  locked: boolean;
}

export interface SettingsRow {
  category: string;
  label: string;
  events: string;
  cells: SettingsCell[];
}

const cellName = (category: string, channel: Channel) => `${category}:${channel}`;
const columnsFor = (slack: boolean) => COLUMNS.filter((column) => slack || column.channel !== 'slack');

function categories(view: NotificationPreferencesView): Map<string, EventPreferences[]> {
  const out = new Map<string, EventPreferences[]>();
  for (const event of view.events) out.set(event.category, [...(out.get(event.category) ?? []), event]);
  return out;
}

/** The table of categories × channels: a box is ticked when every event of the category uses the channel. */
export function settingsTable(view: NotificationPreferencesView, slack: boolean) {
  const rows: SettingsRow[] = [...categories(view)].map(([category, events]) => ({
    category,
    label: events[0].categoryLabel,
    events: events.map((e) => e.label).join(', '),
    cells: columnsFor(slack).map(({ channel, label }) => {
      const on = events.filter((e) => e[channel]).length;
      return {
        name: cellName(category, channel),
        channel,
        columnLabel: label,
        checked: on === events.length,
        mixed: on > 0 && on < events.length,
        locked: events.every((e) => e.mandatory.includes(channel)),
      };
    }),
  }));
  return { columns: columnsFor(slack), rows, digests: view.digests };
}

/**
 * The change a submitted settings form asks for (checkboxes: ticked = sent, unticked = absent). A
 * category's channel changes only where the box differs from what the page showed — so a category
 * whose events differ ("some") keeps them as they are unless its box is ticked — and never on the
 * channels an event must use. Digests follow their two boxes.
 */
export function settingsChange(view: NotificationPreferencesView, slack: boolean, body: Record<string, unknown>): PreferencesChange {
  const ticked = (name: string) => body[name] !== undefined && body[name] !== '';
  const changes = new Map<string, Partial<Record<Channel, boolean>>>();
  for (const [category, events] of categories(view))
    for (const { channel } of columnsFor(slack)) {
      const shown = events.every((e) => e[channel]);
      const wanted = ticked(cellName(category, channel));
      if (wanted === shown) continue;
      for (const event of events) {
        if (event.mandatory.includes(channel) || event[channel] === wanted) continue;
        changes.set(event.event, { ...changes.get(event.event), [channel]: wanted });
      }
    }
  return {
    events: [...changes].map(([event, channels]) => ({ event, ...channels })),
    digests: { reviewer: ticked('digest:reviewer'), budgetOwner: ticked('digest:budgetOwner') },
  };
}
