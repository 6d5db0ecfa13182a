export enum Billing {
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
  ANNUAL = 'ANNUAL',
  ONE_TIME = 'ONE_TIME',
}

export enum CostType {
  LICENSE = 'LICENSE',
  IMPLEMENTATION = 'IMPLEMENTATION',
  OPERATIONS = 'OPERATIONS',
  INFRASTRUCTURE = 'INFRASTRUCTURE',
  TRAINING = 'TRAINING',
}

/** CANCELLED contracts leave renewals, reminders and the tool's annual cost; their ledger rows stay (the money was committed). */
export enum ContractStatus {
  ACTIVE = 'ACTIVE',
  CANCELLED = 'CANCELLED',
}

/** APPROVED: an approved request's estimate not yet covered by a contract (retired when its contract is attached). */
export enum LedgerBasis {
  COMMITTED = 'COMMITTED',
  ACTUAL = 'ACTUAL',
  APPROVED = 'APPROVED',
}

export enum LedgerSource {
  CONTRACT = 'CONTRACT',
  SPEND = 'SPEND',
  REQUEST = 'REQUEST',
}

export enum SpendSource {
  MANUAL = 'manual',
  IMPORT = 'import',
}

/** An approved request's commitment: PENDING until a contract is attached (ATTACHED), which retires its ledger rows. */
export enum CommitmentStatus {
  PENDING = 'PENDING',
  ATTACHED = 'ATTACHED',
}
