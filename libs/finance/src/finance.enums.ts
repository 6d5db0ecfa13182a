export enum Billing { MONTHLY = 'MONTHLY', QUARTERLY = 'QUARTERLY', ANNUAL = 'ANNUAL', ONE_TIME = 'ONE_TIME' }

export enum CostType { LICENSE = 'LICENSE', IMPLEMENTATION = 'IMPLEMENTATION', OPERATIONS = 'OPERATIONS', INFRASTRUCTURE = 'INFRASTRUCTURE', TRAINING = 'TRAINING' }

/** CANCELLED contracts leave renewals, reminders and the tool's annual cost; their ledger rows stay (the money was committed). */
export enum ContractStatus { ACTIVE = 'ACTIVE', CANCELLED = 'CANCELLED' }

export enum LedgerBasis { COMMITTED = 'COMMITTED', ACTUAL = 'ACTUAL' }

export enum LedgerSource { CONTRACT = 'CONTRACT', SPEND = 'SPEND' }

export enum SpendSource { MANUAL = 'manual', IMPORT = 'import' }
