import { label, wordCode } from '@stackgate/platform';

/** An audit event as the history APIs answer it. */
export interface HistoryEvent {
  occurredAt: Date | string;
  action: string;
  actorId: string | null;
  actorEmail?: string | null;
  changes?: unknown;
}

/** A history row for a reader: who by name, what in words, and which fields changed. */
export interface HistoryLine {
  occurredAt: Date | string;
  who: string;
  what: string;
  detail: string | null;
}

/** Fields whose values are codes of a catalogue kind: their before → after is shown in words. */
const CODED_FIELDS: Record<string, string> = {
  itApprovalStatus: 'ItApprovalStatus',
  lifecycle: 'Lifecycle',
  dataClassification: 'DataClassification',
  status: 'RequestStatus',
  state: 'ConditionState',
  billing: 'Billing',
  costType: 'CostType',
  kind: 'CostCenterKind',
};
const FIELD_WORDS: Record<string, string> = {
  itApprovalStatus: 'IT approval',
  itApprovalConditions: 'IT approval conditions',
  itApprovalRationale: 'IT approval rationale',
  itApprovalDecidedById: 'IT approval decided by',
  shadowIt: 'shadow IT',
  isSystemOfRecord: 'system of record',
  ssoEnabled: 'SSO',
  dpaSigned: 'DPA',
  soc2: 'SOC 2',
  iso27001: 'ISO 27001',
};

/** Bookkeeping fields a reader does not need to see change. */
const HIDDEN_FIELDS = new Set(['version', 'updatedAt', 'createdAt', 'id', 'nameKey', 'createdById', 'itApprovalDecidedAt']);

const fieldWords = (field: string) => FIELD_WORDS[field] ?? wordCode(field.replace(/Id$/, '')).toLowerCase();

function changeDetail(changes: unknown): string | null {
  if (!changes || typeof changes !== 'object') return null;
  const parts = Object.entries(changes as Record<string, { before?: unknown; after?: unknown }>)
    .filter(([field]) => !HIDDEN_FIELDS.has(field))
    .map(([field, change]) => {
      const kind = CODED_FIELDS[field];
      if (kind && change && typeof change === 'object') {
        const word = (value: unknown) => (typeof value === 'string' ? label(value, kind) : 'none');
        return `${fieldWords(field)}: ${word(change.before)} → ${word(change.after)}`;
      }
      return fieldWords(field);
    });
  if (!parts.length) return null;
  return `Changed: ${parts.join('; ')}`;
}

/** History rows in words: "IT approval changed" by "Chris CIO", never "tool.it_approval_changed" by an e-mail address. */
export function historyLines(events: HistoryEvent[], names: Map<string, string>): HistoryLine[] {
  return events.map((event) => ({
    occurredAt: event.occurredAt,
    who: event.actorId ? (names.get(event.actorId) ?? 'A former user') : 'Stackgate (automatic)',
    what: label(event.action, 'AuditAction'),
    // What a record was created with is on the page itself; changes say which fields moved.
    detail: event.action.endsWith('.created') ? null : changeDetail(event.changes),
  }));
}
