/**
 * Per-person notification preferences: which channels (inbox, e-mail, Slack direct message) each
 * notification event uses, and whether the weekly digests come. Pure rules, no database.
 *
 * Defaults are what Stackgate did before preferences existed: every channel on, both digests on. A
 * person stores only what they change (one row per event they touched).
 */

export const CHANNELS = ['inbox', 'email', 'slack'] as const;
export type Channel = (typeof CHANNELS)[number];
export type ChannelSet = Record<Channel, boolean>;

/** The weekly digests (each is a notification event of its own, `digest-<kind>`). */
export const DIGEST_KINDS = ['reviewer', 'budgetOwner'] as const;
export type DigestKind = (typeof DIGEST_KINDS)[number];
export const DIGEST_EVENT: Record<DigestKind, string> = { reviewer: 'digest-reviewer', budgetOwner: 'digest-budget-owner' };
export const isDigestEvent = (event: string) => Object.values(DIGEST_EVENT).includes(event);

export const ALL_ON: Readonly<ChannelSet> = Object.freeze({ inbox: true, email: true, slack: true });

/** Reader-worded groups of events, in the order the settings page lists them. */
export const CATEGORIES = [
  {
    code: 'REVIEWS',
    label: 'Reviews waiting for me',
    events: ['review-needed', 'assessment-needed', 'stage-overdue'],
  },
  {
    code: 'DECISIONS',
    label: 'Decisions on my requests',
    events: ['stage-decided', 'changes-requested', 'request-approved', 'request-rejected', 'contract-awaited'],
  },
  {
    code: 'CONDITIONS',
    label: 'Conditions',
    events: ['condition-assigned', 'condition-due-soon', 'condition-overdue', 'condition-done', 'condition-reopened'],
  },
  { code: 'RENEWALS', label: 'Renewals', events: ['renewal-review-start', 'renewal-cancel-by-minus-7'] },
  { code: 'DISCOVERY', label: 'Discovery and shadow IT', events: ['discovery-candidates-found', 'shadow-it-detected'] },
  { code: 'ADMIN', label: 'Admin notices', events: ['webhook-disabled', 'test-notice'] },
] as const;
export type CategoryCode = (typeof CATEGORIES)[number]['code'] | 'OTHER';
export const OTHER_CATEGORY = { code: 'OTHER' as const, label: 'Other notices' };

/**
 * Channels nobody may turn off, because the notice protects the organisation rather than informs
 * one person: a disabled webhook means another system silently stops hearing about changes until an
 * administrator acts, so administrators always get it in the inbox and by e-mail (Slack stays
 * optional: it may be the very integration that is failing). Security notices added later (tokens,
 * SCIM) belong here too.
 */
export const MANDATORY: Readonly<Record<string, readonly Channel[]>> = Object.freeze({
  'webhook-disabled': ['inbox', 'email'],
});

export const mandatoryChannels = (event: string): readonly Channel[] => MANDATORY[event] ?? [];

/** The category of an event; events no category names (added later) are "Other notices". */
export function categoryOf(event: string): { code: CategoryCode; label: string } {
  const found = CATEGORIES.find((category) => (category.events as readonly string[]).includes(event));
  return found ? { code: found.code, label: found.label } : OTHER_CATEGORY;
}

/** The channels an event uses for one person: their stored choice (or all on), with the mandatory ones forced on. */
export function effectiveChannels(event: string, stored: Partial<ChannelSet> | null | undefined): ChannelSet {
  const out: ChannelSet = { ...ALL_ON, ...(stored ?? {}) };
  for (const channel of mandatoryChannels(event)) out[channel] = true;
  return out;
}

export interface EventChange {
  event: string;
  inbox?: boolean;
  email?: boolean;
  slack?: boolean;
}

/**
 * What is wrong with a set of changes, as field problems (empty = acceptable): an event that is not
 * a notification Stackgate sends (or a digest, which has its own switch), the same event twice, a
 * mandatory channel turned off.
 */
export function changeProblems(changes: readonly EventChange[], knownEvents: ReadonlySet<string>): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  changes.forEach((change, index) => {
    const field = `events[${index}]`;
    if (!knownEvents.has(change.event) || isDigestEvent(change.event)) {
      problems.push({ field: `${field}.event`, message: `"${change.event}" is not a notification event you can set` });
      return;
    }
    if (seen.has(change.event)) problems.push({ field: `${field}.event`, message: `"${change.event}" is given more than once` });
    seen.add(change.event);
    for (const channel of mandatoryChannels(change.event))
      if (change[channel] === false)
        problems.push({
          field: `${field}.${channel}`,
          message: `${change.event} is always delivered by ${channel}: it cannot be turned off`,
        });
  });
  return problems;
}

/** A stored row after applying a change to it (channels not named keep their value). */
export function applyChange(stored: ChannelSet | null, change: EventChange): ChannelSet {
  const current = stored ?? { ...ALL_ON };
  return {
    inbox: change.inbox ?? current.inbox,
    email: change.email ?? current.email,
    slack: change.slack ?? current.slack,
  };
}

/** The ISO 8601 week of a UTC moment, e.g. 2026-W02 (the digest's period). */
export function isoWeek(moment: Date): string {
  const day = new Date(Date.UTC(moment.getUTCFullYear(), moment.getUTCMonth(), moment.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = new Date(Date.UTC(day.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((day.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
