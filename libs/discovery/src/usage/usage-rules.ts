/*
 * The pure rules of identity-provider usage: reading an export's timestamps, folding its rows (one per
 * assignment, sign-in or grant) into per-app figures, and valuing unused seats. No database here.
 */

/** What one row of an identity-provider export says about one user of one app. */
export interface UsageRow {
  /** The app as the identity provider names it. */
  app: string;
  /** The user's login (lower case). */
  user: string;
  /** true: the user holds the app (assigned, granted); false: no longer (unassigned, revoked); null: the row does not say. */
  assigned: boolean | null;
  /** The day (YYYY-MM-DD) the user used the app, when the row says so. */
  activeOn: string | null;
  /** The days the row spans (assignment to last sign-in), for first and last seen. */
  seenFrom: string;
  seenTo: string;
}

/** One app's figures as of a day. */
export interface AppUsage {
  app: string;
  assignedUsers: number;
  activeUsers30: number;
  activeUsers90: number;
  firstSeen: string;
  lastSeen: string;
  /** Users holding the app, and those active in the last 30/90 days (for merging apps that are one tool). */
  users: { assigned: Set<string>; active30: Set<string>; active90: Set<string> };
}

/** Timestamps before this are taken for a mistake (an identity provider exports recent events). */
export const EARLIEST_USAGE_DATE = '2000-01-01';

/**
 * An export's timestamp as a UTC day: ISO 8601 ("2026-11-30", "2026-11-30T14:03:22Z", "2026-11-30 14:03:22",
 * "2026-11-30T14:03:22.123+01:00"). Answers an error message for anything else, for days before 2000 and for days
 * after `latest` (tomorrow, by default: a file cannot show the future).
 */
export function parseUsageTimestamp(
  raw: string,
  latest: string = addDays(new Date().toISOString().slice(0, 10), 1),
): string | { error: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC)?)?$/i.exec(
    raw.trim(),
  );
  if (!match) return { error: 'must be an ISO 8601 date or date and time, e.g. 2026-11-30T14:03:22Z' };
  const [, year, month, day, hour, minute, second, zone] = match;
  const calendar = new Date(Date.UTC(+year, +month - 1, +day));
  if (
    calendar.getUTCFullYear() !== +year ||
    calendar.getUTCMonth() !== +month - 1 ||
    calendar.getUTCDate() !== +day ||
    +hour > 23 ||
    +minute > 59 ||
    +second > 59
  )
    return { error: 'is not a real date and time' };
  let instant = calendar.getTime() + ((+hour || 0) * 60 + (+minute || 0)) * 60_000 + (+second || 0) * 1000;
  if (zone && !/^(z|utc)$/i.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/[^0-9]/g, '');
    instant -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  const utcDay = new Date(instant).toISOString().slice(0, 10);
  if (utcDay < EARLIEST_USAGE_DATE) return { error: `is before ${EARLIEST_USAGE_DATE}` };
  if (utcDay > latest) return { error: 'is in the future' };
  return utcDay;
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The day the figures are as of: the latest day any row shows (the file's latest sign-in or assignment). */
export function usageAsOf(rows: readonly UsageRow[]): string | null {
  let latest: string | null = null;
  for (const row of rows) if (latest === null || row.seenTo > latest) latest = row.seenTo;
  return latest;
}

/** The key apps are grouped by within one file: the name as the identity provider wrote it, case and spaces aside. */
export const appKey = (app: string) => app.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Per app, as of `asOf`: users holding it (the latest row that says so decides, rows in file order breaking ties),
 * and users active in the 30 and 90 days ending on `asOf` (both days included) who have not since lost the app.
 */
export function aggregateUsage(rows: readonly UsageRow[], asOf: string): AppUsage[] {
  const from30 = addDays(asOf, -29);
  const from90 = addDays(asOf, -89);
  const apps = new Map<string, { app: string; first: string; last: string; users: Map<string, UserState> }>();
  for (const row of rows) {
    const key = appKey(row.app);
    const app = apps.get(key) ?? { app: row.app.trim(), first: row.seenFrom, last: row.seenTo, users: new Map<string, UserState>() };
    apps.set(key, app);
    if (row.seenFrom < app.first) app.first = row.seenFrom;
    if (row.seenTo > app.last) app.last = row.seenTo;
    const user: UserState = app.users.get(row.user) ?? { holds: null, at: '', active: null };
    app.users.set(row.user, user);
    if (row.assigned !== null && row.seenTo >= user.at) {
      user.holds = row.assigned;
      user.at = row.seenTo;
    }
    if (row.activeOn && (!user.active || row.activeOn > user.active)) user.active = row.activeOn;
  }
  return [...apps.values()]
    .map(({ app, first, last, users }) => {
      const sets = { assigned: new Set<string>(), active30: new Set<string>(), active90: new Set<string>() };
      for (const [login, user] of users) {
        if (user.holds) sets.assigned.add(login);
        // A user who no longer holds the app (unassigned, revoked) takes no seat, whatever they did before.
        if (user.holds === false || !user.active || user.active > asOf) continue;
        if (user.active >= from30) sets.active30.add(login);
        if (user.active >= from90) sets.active90.add(login);
      }
      return figures(app, first, last, sets);
    })
    .sort((a, b) => a.app.localeCompare(b.app));
}

/** One user of one app while folding rows: the latest assignment statement (and its day), the latest day of use. */
interface UserState {
  holds: boolean | null;
  at: string;
  active: string | null;
}

/** Several apps that are one tool (Slack in two instances): their users counted once. */
export function mergeUsage(name: string, apps: readonly AppUsage[]): AppUsage {
  const sets = { assigned: new Set<string>(), active30: new Set<string>(), active90: new Set<string>() };
  for (const app of apps) {
    for (const login of app.users.assigned) sets.assigned.add(login);
    for (const login of app.users.active30) sets.active30.add(login);
    for (const login of app.users.active90) sets.active90.add(login);
  }
  const first = apps.reduce((min, a) => (a.firstSeen < min ? a.firstSeen : min), apps[0].firstSeen);
  const last = apps.reduce((max, a) => (a.lastSeen > max ? a.lastSeen : max), apps[0].lastSeen);
  return figures(name, first, last, sets);
}

function figures(app: string, firstSeen: string, lastSeen: string, users: AppUsage['users']): AppUsage {
  return {
    app,
    assignedUsers: users.assigned.size,
    activeUsers30: users.active30.size,
    activeUsers90: users.active90.size,
    firstSeen,
    lastSeen,
    users,
  };
}

/**
 * Unused seats and what they cost a year, from the running license contracts of the tool: per seat = the contracts'
 * annual value ÷ their seats; unused = seats − active users (30 days), never below 0; value = annual value × unused ÷
 * contract seats. Both rounded half up to the minor unit, from the exact fraction (never the rounded per-seat price × unused).
 */
export function unusedSeatValue(
  seats: number | null,
  activeUsers: number,
  contracts: { annualValueMinor: bigint; seats: number } | null,
): { unusedSeats: number | null; perSeatMinor: bigint | null; unusedValueMinor: bigint | null } {
  if (seats === null) return { unusedSeats: null, perSeatMinor: null, unusedValueMinor: null };
  const unused = Math.max(0, seats - activeUsers);
  if (!contracts || contracts.seats <= 0) return { unusedSeats: unused, perSeatMinor: null, unusedValueMinor: null };
  const contractSeats = BigInt(contracts.seats);
  const halfUp = (numerator: bigint) => (numerator * 2n + contractSeats) / (contractSeats * 2n);
  return {
    unusedSeats: unused,
    perSeatMinor: halfUp(contracts.annualValueMinor),
    unusedValueMinor: halfUp(contracts.annualValueMinor * BigInt(unused)),
  };
}
