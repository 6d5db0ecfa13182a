import { Role } from '@stackgate/platform';
import { ItApprovalStatus, Lifecycle, isShadowIt } from '../catalog.enums';
import {
  canMoveLifecycle,
  effectiveAllocation,
  IDENTITY_KEEPERS,
  identityChangeResetsApproval,
  identityChanges,
  itApprovalProblems,
  LIFECYCLE_TRANSITIONS,
  mayEditTechnicalFields,
  normalizeCapabilities,
  refusedTechnicalFields,
  storedConditions,
  technicalFieldsIn,
} from './tool-rules';

const Lifecycles = Lifecycle;

describe('lifecycle transitions', () => {
  const allowed: [Lifecycle, Lifecycle][] = [
    [Lifecycles.PROPOSED, Lifecycles.APPROVED],
    [Lifecycles.PROPOSED, Lifecycles.ACTIVE],
    [Lifecycles.PROPOSED, Lifecycles.RETIRED],
    [Lifecycles.APPROVED, Lifecycles.ACTIVE],
    [Lifecycles.APPROVED, Lifecycles.RETIRED],
    [Lifecycles.ACTIVE, Lifecycles.SUNSETTING],
    [Lifecycles.ACTIVE, Lifecycles.RETIRED],
    [Lifecycles.SUNSETTING, Lifecycles.ACTIVE],
    [Lifecycles.SUNSETTING, Lifecycles.RETIRED],
  ];
  const all = Object.values(Lifecycles);

  it.each(all.flatMap((from) => all.map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    const expected = from === to || allowed.some(([f, t]) => f === from && t === to);
    expect(canMoveLifecycle(from, to)).toBe(expected);
  });

  it('never leaves RETIRED', () => {
    expect(LIFECYCLE_TRANSITIONS[Lifecycles.RETIRED]).toEqual([]);
    for (const to of all.filter((s) => s !== Lifecycles.RETIRED)) expect(canMoveLifecycle(Lifecycles.RETIRED, to)).toBe(false);
  });

  it('cannot go back to PROPOSED from anywhere else', () => {
    for (const from of all.filter((s) => s !== Lifecycles.PROPOSED)) expect(canMoveLifecycle(from, Lifecycles.PROPOSED)).toBe(false);
  });
});

describe('technical fields', () => {
  it('lets IT, CIO and ADMIN edit them, not MARKETER, CMO or FINANCE', () => {
    expect(mayEditTechnicalFields([Role.IT])).toBe(true);
    expect(mayEditTechnicalFields([Role.CIO])).toBe(true);
    expect(mayEditTechnicalFields([Role.ADMIN])).toBe(true);
    expect(mayEditTechnicalFields([Role.MARKETER, Role.IT])).toBe(true);
    expect(mayEditTechnicalFields([Role.MARKETER])).toBe(false);
    expect(mayEditTechnicalFields([Role.CMO])).toBe(false);
    expect(mayEditTechnicalFields([Role.FINANCE])).toBe(false);
    expect(mayEditTechnicalFields([])).toBe(false);
  });

  it('counts a field as touched when present, even with a falsy value', () => {
    expect(technicalFieldsIn({ name: 'x' })).toEqual([]);
    expect(technicalFieldsIn({ ssoEnabled: false })).toEqual(['ssoEnabled']);
    expect(technicalFieldsIn({ hostingRegion: null, dataClassification: 'NONE' })).toEqual(['hostingRegion', 'dataClassification']);
    expect(technicalFieldsIn({ ssoEnabled: undefined })).toEqual([]);
  });

  it('names the refused fields for a marketer and none for IT', () => {
    expect(refusedTechnicalFields([Role.MARKETER], { name: 'a', ssoEnabled: true })).toEqual(['ssoEnabled']);
    expect(refusedTechnicalFields([Role.CMO], { description: 'a' })).toEqual([]);
    expect(refusedTechnicalFields([Role.IT], { ssoEnabled: true, hostingRegion: 'EU' })).toEqual([]);
  });
});

describe('IT approval input', () => {
  it('requires a rationale', () => {
    expect(itApprovalProblems({ status: ItApprovalStatus.APPROVED, rationale: ' ' })).toEqual(['rationale is required']);
    expect(itApprovalProblems({ status: ItApprovalStatus.APPROVED, rationale: 'ok' })).toEqual([]);
  });

  it('requires conditions only for APPROVED_WITH_CONDITIONS', () => {
    expect(itApprovalProblems({ status: ItApprovalStatus.APPROVED_WITH_CONDITIONS, rationale: 'ok' })).toHaveLength(1);
    expect(itApprovalProblems({ status: ItApprovalStatus.APPROVED_WITH_CONDITIONS, rationale: 'ok', conditions: '  ' })).toHaveLength(1);
    expect(itApprovalProblems({ status: ItApprovalStatus.APPROVED_WITH_CONDITIONS, rationale: 'ok', conditions: 'SSO first' })).toEqual([]);
    expect(itApprovalProblems({ status: ItApprovalStatus.REJECTED, rationale: 'no' })).toEqual([]);
  });

  it('keeps conditions only for a conditional approval', () => {
    expect(storedConditions(ItApprovalStatus.APPROVED_WITH_CONDITIONS, ' SSO ')).toBe('SSO');
    expect(storedConditions(ItApprovalStatus.APPROVED, 'SSO')).toBeNull();
    expect(storedConditions(ItApprovalStatus.REJECTED, null)).toBeNull();
  });
});

describe('shadow IT', () => {
  it('is ACTIVE and not IT-approved', () => {
    for (const lifecycle of Object.values(Lifecycles)) {
      for (const status of Object.values(ItApprovalStatus)) {
        const expected =
          lifecycle === Lifecycles.ACTIVE && (status === ItApprovalStatus.NOT_REVIEWED || status === ItApprovalStatus.REJECTED);
        expect(isShadowIt(lifecycle, status)).toBe(expected);
      }
    }
  });
});

describe('effective allocation and capabilities', () => {
  it('defaults to 100 % for the budget owner', () => {
    expect(effectiveAllocation(null, 'cc')).toEqual([{ costCenterId: 'cc', shareBps: 10000 }]);
    expect(effectiveAllocation([], 'cc')).toEqual([{ costCenterId: 'cc', shareBps: 10000 }]);
    const stored = [
      { costCenterId: 'a', shareBps: 6000 },
      { costCenterId: 'b', shareBps: 4000 },
    ];
    expect(effectiveAllocation(stored, 'cc')).toEqual(stored);
  });

  it('trims and deduplicates capability tags case-insensitively', () => {
    expect(normalizeCapabilities([' Email ', 'email', 'SMS', ''])).toEqual(['Email', 'SMS']);
    expect(normalizeCapabilities(undefined)).toEqual([]);
  });
});

describe('identity changes of an IT-approved tool', () => {
  const Approval = ItApprovalStatus;
  const tool = { nameKey: 'mailer', vendorId: 'v1' };

  it('counts a rename (not a change of case) and a vendor swap', () => {
    expect(identityChanges(tool, {})).toEqual([]);
    expect(identityChanges(tool, { nameKey: 'mailer', vendorId: 'v1' })).toEqual([]);
    expect(identityChanges(tool, { nameKey: 'mailer pro' })).toEqual(['name']);
    expect(identityChanges(tool, { vendorId: 'v2' })).toEqual(['vendorId']);
    expect(identityChanges(tool, { nameKey: 'x', vendorId: 'v2' })).toEqual(['name', 'vendorId']);
  });

  it('voids an approval when someone other than IT or CIO changes the identity', () => {
    for (const status of [Approval.APPROVED, Approval.APPROVED_WITH_CONDITIONS]) {
      for (const role of [Role.MARKETER, Role.CMO, Role.ADMIN, Role.FINANCE])
        expect(identityChangeResetsApproval(status, ['name'], [role])).toBe(true);
      expect(identityChangeResetsApproval(status, ['vendorId'], [Role.IT])).toBe(false);
      expect(identityChangeResetsApproval(status, ['vendorId'], [Role.MARKETER, Role.CIO])).toBe(false);
      expect(identityChangeResetsApproval(status, [], [Role.MARKETER])).toBe(false);
      expect(identityChangeResetsApproval(status, ['name'], null)).toBe(false);
    }
    expect(IDENTITY_KEEPERS).toEqual([Role.IT, Role.CIO]);
  });

  it('keeps NOT_REVIEWED and REJECTED as they are (a rename never erases a rejection)', () => {
    expect(identityChangeResetsApproval(Approval.NOT_REVIEWED, ['name', 'vendorId'], [Role.MARKETER])).toBe(false);
    expect(identityChangeResetsApproval(Approval.REJECTED, ['name', 'vendorId'], [Role.MARKETER])).toBe(false);
  });
});
