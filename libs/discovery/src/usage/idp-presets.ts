import type { ImportColumn, RowReader } from '@stackgate/catalog';
import { parseUsageTimestamp, UsageRow } from './usage-rules';

/*
 * The identity providers' standard CSV reports, as presets of the idp-apps import. Each names the report's own
 * headers (other columns of the report are ignored) and reads one row into a UsageRow. Where a layout is
 * reconstructed from the provider's documentation rather than from a published header list, `layoutNote` says so
 * (README "Identity-provider usage import" repeats it).
 */

export const IDP_PRESETS = ['okta', 'entra', 'google'] as const;
export type IdpPreset = (typeof IDP_PRESETS)[number];

/** The source code stored with the evidence (IDP_SOURCE labels). */
export enum IdpSource {
  OKTA = 'OKTA',
  ENTRA = 'ENTRA',
  GOOGLE = 'GOOGLE',
}
export const SOURCE_OF_PRESET: Record<IdpPreset, IdpSource> = { okta: IdpSource.OKTA, entra: IdpSource.ENTRA, google: IdpSource.GOOGLE };

export interface IdpPresetLayout {
  preset: IdpPreset;
  /** What a person picks on the import page. */
  label: string;
  report: string;
  layoutNote: string;
  columns: ImportColumn[];
  /** The headers that identify the layout when no preset is named (all present, case-insensitive). */
  signature: string[];
  read(reader: RowReader): UsageRow | undefined;
}

/** Longest app name and login kept (an identity provider's labels and user names are far shorter). */
const MAX_APP = 200;
const MAX_LOGIN = 320;

/** A text cell that must not be a spreadsheet formula (= + - @ at the start: CSV injection, or a formula export). */
function plainText(reader: RowReader, column: string, max: number, required: boolean): string | null | undefined {
  const value = reader.text(column, max, required);
  if (value && /^[=+\-@]/.test(value)) {
    reader.fail(column, `${column} looks like a spreadsheet formula ("${value.slice(0, 20)}"): export the report's values`);
    return undefined;
  }
  return value;
}

function timestamp(reader: RowReader, column: string, required: boolean): string | null | undefined {
  const raw = reader.text(column, 40, required);
  if (!raw) return raw;
  const day = parseUsageTimestamp(raw);
  if (typeof day === 'string') return day;
  reader.fail(column, `${column} ${day.error}`);
  return undefined;
}

const login = (reader: RowReader, column: string) => plainText(reader, column, MAX_LOGIN, true)?.toLowerCase();

const OKTA: IdpPresetLayout = {
  preset: 'okta',
  label: 'Okta app assignments report',
  report: 'Okta: Reports › Application Access Audit › Current Assignments (CSV)',
  layoutNote: "Headers as Okta's help page on the Current Assignments report lists them; one row per user assigned to an app.",
  columns: [
    { name: 'User', description: "The user's Okta name" },
    { name: 'Login', required: true, description: 'The Okta user name (usually the e-mail address)' },
    { name: 'Application name', required: true, description: 'The app integration' },
    { name: 'Application instance', description: "The app integration's instance label" },
    { name: 'Application login', description: 'The user name in the app' },
    { name: 'Assigned on', description: 'ISO 8601 timestamp' },
    { name: 'Unassigned on', description: 'ISO 8601 timestamp; empty while assigned' },
    { name: 'Last login', description: 'ISO 8601 timestamp of the last sign-in to the app through Okta' },
  ],
  signature: ['Login', 'Application name'],
  read(reader) {
    plainText(reader, 'User', 200, false);
    const user = login(reader, 'Login');
    const app = plainText(reader, 'Application name', MAX_APP, true);
    plainText(reader, 'Application instance', MAX_APP, false);
    plainText(reader, 'Application login', MAX_LOGIN, false);
    const assignedOn = timestamp(reader, 'Assigned on', false);
    const unassignedOn = timestamp(reader, 'Unassigned on', false);
    const lastLogin = timestamp(reader, 'Last login', false);
    if (reader.errors.length || !user || !app) return undefined;
    const days = [assignedOn, unassignedOn, lastLogin].filter((d): d is string => !!d).sort();
    if (!days.length) {
      reader.fail(null, 'the row has none of Assigned on, Unassigned on, Last login');
      return undefined;
    }
    return { app, user, assigned: !unassignedOn, activeOn: lastLogin ?? null, seenFrom: days[0], seenTo: days[days.length - 1] };
  },
};

/** Entra's sign-in statuses that count as a use of the app. */
const ENTRA_SUCCESS = ['success', ''];

const ENTRA: IdpPresetLayout = {
  preset: 'entra',
  label: 'Microsoft Entra ID sign-in log',
  report: 'Microsoft Entra ID: Monitoring › Sign-in logs › Download (CSV), interactive user sign-ins',
  layoutNote:
    "Reconstructed from Microsoft's documentation of the sign-in log and its portal download: the download has about " +
    '40 columns; these are read, the rest ignored. A user with a successful sign-in counts as assigned (the sign-in ' +
    'log does not list assignments); failed and interrupted sign-ins count as neither.',
  columns: [
    { name: 'Date (UTC)', required: true, description: 'ISO 8601 timestamp of the sign-in' },
    { name: 'User', description: "The user's display name" },
    { name: 'Username', required: true, description: 'User principal name' },
    { name: 'User ID' },
    { name: 'Application', required: true, description: 'The enterprise application signed in to' },
    { name: 'Application ID' },
    { name: 'Status', description: 'Success, Failure or Interrupted (empty: Success)' },
  ],
  signature: ['Date (UTC)', 'Username', 'Application'],
  read(reader) {
    const day = timestamp(reader, 'Date (UTC)', true);
    plainText(reader, 'User', 200, false);
    const user = login(reader, 'Username');
    plainText(reader, 'User ID', 64, false);
    const app = plainText(reader, 'Application', MAX_APP, true);
    plainText(reader, 'Application ID', 64, false);
    const status = (plainText(reader, 'Status', 40, false) ?? '').toLowerCase();
    if (status && !['success', 'failure', 'interrupted'].includes(status))
      reader.fail('Status', 'Status must be Success, Failure or Interrupted');
    if (reader.errors.length || !day || !user || !app) return undefined;
    const used = ENTRA_SUCCESS.includes(status);
    return { app, user, assigned: used ? true : null, activeOn: used ? day : null, seenFrom: day, seenTo: day };
  },
};

/** Google's OAuth token events: a grant, a revocation, a use of the token. */
const GOOGLE_EVENTS: Record<string, { assigned: boolean; active: boolean }> = {
  authorize: { assigned: true, active: true },
  activity: { assigned: true, active: true },
  request: { assigned: true, active: true },
  revoke: { assigned: false, active: false },
};

const GOOGLE: IdpPresetLayout = {
  preset: 'google',
  label: 'Google Workspace OAuth log events',
  report: 'Google Workspace: Reporting › Audit and investigation › OAuth log events › Export (CSV)',
  layoutNote:
    "Reconstructed from Google's OAuth Token audit documentation (events authorize, revoke, activity, request; " +
    'parameters app_name, client_id, scope) and the audit export, whose headers are the log columns: Date, Event, ' +
    'Actor, App name, Client ID, Scope; other columns are ignored.',
  columns: [
    { name: 'Date', required: true, description: 'ISO 8601 timestamp of the event' },
    { name: 'Event', required: true, description: 'Authorize, Revoke, Activity or Request' },
    { name: 'Actor', required: true, description: "The user's e-mail address" },
    { name: 'App name', required: true, description: 'The third-party app' },
    { name: 'Client ID' },
    { name: 'Scope' },
  ],
  signature: ['Event', 'Actor', 'App name'],
  read(reader) {
    const day = timestamp(reader, 'Date', true);
    const event = plainText(reader, 'Event', 40, true)?.toLowerCase();
    const effect = event ? GOOGLE_EVENTS[event] : undefined;
    if (event && !effect) reader.fail('Event', 'Event must be Authorize, Revoke, Activity or Request');
    const user = login(reader, 'Actor');
    const app = plainText(reader, 'App name', MAX_APP, true);
    plainText(reader, 'Client ID', 200, false);
    plainText(reader, 'Scope', 4000, false);
    if (reader.errors.length || !day || !user || !app || !effect) return undefined;
    return { app, user, assigned: effect.assigned, activeOn: effect.active ? day : null, seenFrom: day, seenTo: day };
  },
};

export const IDP_LAYOUTS: Record<IdpPreset, IdpPresetLayout> = { okta: OKTA, entra: ENTRA, google: GOOGLE };

/** The preset whose signature headers a file has, or undefined (none, or several). */
export function detectPreset(headers: readonly string[]): IdpPreset | undefined {
  const have = new Set(headers.map((h) => h.trim().toLowerCase()));
  const found = IDP_PRESETS.filter((p) => IDP_LAYOUTS[p].signature.every((h) => have.has(h.toLowerCase())));
  return found.length === 1 ? found[0] : undefined;
}
