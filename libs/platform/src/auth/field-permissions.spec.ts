import { FieldRule, mayUseFieldRule, refusedFields, rolesForField, rolesPhrase, ruleFieldsIn } from './field-permissions';
import { Role } from './roles';

const technical: FieldRule = { label: 'technical fields', fields: ['sso', 'region'], roles: [Role.IT, Role.CIO, Role.ADMIN], code: 'TECH' };
const attest: FieldRule = { label: 'attestations', fields: ['dpa'], roles: [Role.CIO], code: 'ATTEST' };
const table = [technical, attest];

describe('field permissions', () => {
  it('lets a user use a rule when one of their roles is listed', () => {
    expect(mayUseFieldRule(technical, [Role.IT])).toBe(true);
    expect(mayUseFieldRule(technical, [Role.MARKETER, Role.ADMIN])).toBe(true);
    expect(mayUseFieldRule(technical, [Role.MARKETER])).toBe(false);
    expect(mayUseFieldRule(technical, [])).toBe(false);
  });

  it('counts a field as named when present, even false, null or unchanged', () => {
    expect(ruleFieldsIn(technical, { name: 'x' })).toEqual([]);
    expect(ruleFieldsIn(technical, { sso: false, region: null })).toEqual(['sso', 'region']);
    expect(ruleFieldsIn(technical, { sso: undefined })).toEqual([]);
  });

  it('names every broken rule with its fields, none for a permitted role', () => {
    expect(refusedFields(table, [Role.MARKETER], { name: 'a', sso: true, dpa: true })).toEqual([
      { rule: technical, fields: ['sso'] },
      { rule: attest, fields: ['dpa'] },
    ]);
    expect(refusedFields(table, [Role.IT], { sso: true, dpa: true })).toEqual([{ rule: attest, fields: ['dpa'] }]);
    expect(refusedFields(table, [Role.CIO], { sso: true, dpa: true })).toEqual([]);
    expect(refusedFields(table, [Role.MARKETER], { name: 'a' })).toEqual([]);
  });

  it('answers who may set a field, undefined when no rule restricts it', () => {
    expect(rolesForField(table, 'dpa')).toEqual([Role.CIO]);
    expect(rolesForField(table, 'name')).toBeUndefined();
    expect(rolesPhrase([Role.IT, Role.CIO, Role.ADMIN])).toBe('IT, CIO or ADMIN');
    expect(rolesPhrase([Role.CIO])).toBe('CIO');
  });
});
