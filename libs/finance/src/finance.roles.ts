import { Role } from '@stackgate/platform';

/** Who reads contracts, spend, budgets and FX rates (SPEC §1: the report readers). Only FINANCE writes. */
export const FINANCE_READERS = [Role.CMO, Role.CIO, Role.FINANCE, Role.ADMIN];
