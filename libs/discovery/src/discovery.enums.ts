/** Where a discovery candidate's evidence comes from: card/expense/AP spend, or the identity provider's app list. */
export enum CandidateSource {
  SPEND = 'SPEND',
  IDP = 'IDP',
}

/**
 * A candidate's place in the queue. OPEN: waiting for IT. REGISTERED: became a new catalog tool.
 * LINKED: its merchant is an alias of an existing tool. DISMISSED: not software (later evidence of the
 * same merchant is kept on it but ignored). The moves are in candidate-states.ts.
 */
export enum CandidateStatus {
  OPEN = 'OPEN',
  REGISTERED = 'REGISTERED',
  LINKED = 'LINKED',
  DISMISSED = 'DISMISSED',
}

/** What a queue action does (the `action` of candidate-states.ts and of the audit event). */
export enum CandidateAction {
  REGISTER = 'REGISTER',
  LINK = 'LINK',
  DISMISS = 'DISMISS',
  REOPEN = 'REOPEN',
}

/** How a spend transaction found its tool. */
export enum MatchKind {
  ALIAS = 'ALIAS',
  EXACT = 'EXACT',
  KNOWN = 'KNOWN',
  PREFIX = 'PREFIX',
  FUZZY = 'FUZZY',
}
