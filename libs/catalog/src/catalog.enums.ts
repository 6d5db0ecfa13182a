export enum CostCenterKind {
  MARKETING = 'MARKETING',
  IT = 'IT',
  OTHER = 'OTHER',
}

export enum Lifecycle {
  PROPOSED = 'PROPOSED',
  APPROVED = 'APPROVED',
  ACTIVE = 'ACTIVE',
  SUNSETTING = 'SUNSETTING',
  RETIRED = 'RETIRED',
}

export enum ItApprovalStatus {
  NOT_REVIEWED = 'NOT_REVIEWED',
  APPROVED = 'APPROVED',
  APPROVED_WITH_CONDITIONS = 'APPROVED_WITH_CONDITIONS',
  REJECTED = 'REJECTED',
}

export enum DataClassification {
  NONE = 'NONE',
  INTERNAL = 'INTERNAL',
  PERSONAL = 'PERSONAL',
  SENSITIVE_PERSONAL = 'SENSITIVE_PERSONAL',
}

/** SPEC §2: a tool that is ACTIVE and not IT-approved is shadow IT. */
export function isShadowIt(lifecycle: Lifecycle, itApproval: ItApprovalStatus): boolean {
  return lifecycle === Lifecycle.ACTIVE && (itApproval === ItApprovalStatus.NOT_REVIEWED || itApproval === ItApprovalStatus.REJECTED);
}

export const isItApproved = (s: ItApprovalStatus) => s === ItApprovalStatus.APPROVED || s === ItApprovalStatus.APPROVED_WITH_CONDITIONS;
