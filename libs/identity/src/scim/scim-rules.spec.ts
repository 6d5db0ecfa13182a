import { InvalidScimPatchOp } from 'scim-patch';
import { PlatformError, PlatformErrorCode } from '@stackgate/platform';
import { IdentityError, IdentityErrorCode } from '../identity.errors';
import { compileFilter, FilterAttribute, MAX_FILTER_LENGTH } from './scim-filter';
import { ScimException, toScimError } from './scim-errors';
import { checkIfMatch, pagingOf, projection, ScimResourceBase, scimBoolean, withVersion } from './scim-resources';
import { rootOf, userPatchOperations, userStateOf } from './scim-user-body';

const ATTRIBUTES: Record<string, FilterAttribute> = {
  userName: { column: 'u.email', caseExact: false, type: 'string' },
  externalId: { column: 'su.externalId', caseExact: true, type: 'string' },
  active: { column: 'u.active', caseExact: true, type: 'boolean' },
  'meta.lastModified': { column: 'u.updatedAt', caseExact: true, type: 'dateTime' },
  'members.value': { exists: (condition) => `EXISTS (${condition('m.userId')})`, caseExact: true, type: 'string' },
};
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const compile = (text: string) => compileFilter(text, ATTRIBUTES, USER);
const scimTypeOf = (work: () => unknown) => {
  try {
    work();
  } catch (err) {
    return err instanceof ScimException ? `${err.status} ${err.scimType}` : String(err);
  }
  return 'no error';
};

describe('SCIM filters as SQL', () => {
  it('binds every value and compares case-insensitively unless the attribute is caseExact', () => {
    expect(compile('userName eq "Ada@Corp.example"')).toEqual({ where: 'LOWER(u.email) = :f0', params: { f0: 'ada@corp.example' } });
    expect(compile('externalId eq "OKTA-1"')).toEqual({ where: 'su.externalId = :f0', params: { f0: 'OKTA-1' } });
    expect(compileFilter('externalId eq "OKTA-1"', ATTRIBUTES, USER, { binaryCompare: true }).where).toBe('su.externalId = BINARY :f0');
    expect(compileFilter('userName eq "A"', ATTRIBUTES, USER, { binaryCompare: true }).where).toBe('LOWER(u.email) = :f0');
    expect(compile(`${USER}:userName sw "a%_!"`)).toEqual({ where: "LOWER(u.email) LIKE :f0 ESCAPE '!'", params: { f0: 'a!%!_!!%' } });
  });

  it('combines and, or, not, value paths and presence', () => {
    const both = compile('userName eq "a@b.c" and (active eq true or not (externalId pr))');
    expect(both.where).toBe("(LOWER(u.email) = :f0 AND (u.active = :f1 OR NOT ((su.externalId IS NOT NULL AND su.externalId <> ''))))");
    expect(both.params).toEqual({ f0: 'a@b.c', f1: true });
    expect(compile('members[value eq "u1"]')).toEqual({ where: 'EXISTS (m.userId = :f0)', params: { f0: 'u1' } });
    expect(compile('meta.lastModified gt "2026-01-01T00:00:00Z"').params.f0).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('refuses unknown attributes, malformed filters, type mismatches and over-long filters with invalidFilter', () => {
    for (const text of [
      'password eq "x"',
      'userName eq',
      '((',
      'active eq "yes"',
      'active gt true',
      'meta.lastModified co "x"',
      'x'.repeat(MAX_FILTER_LENGTH + 1),
    ])
      expect([text.slice(0, 20), scimTypeOf(() => compile(text))]).toEqual([text.slice(0, 20), '400 invalidFilter']);
  });
});

describe('SCIM user bodies', () => {
  it('takes userName as the e-mail, lower-cased, and builds displayName from name when absent', () => {
    const state = userStateOf({ userName: ' Ada@Corp.Example ', name: { givenName: 'Ada', familyName: 'Lovelace' } }, { active: true });
    expect(state).toEqual({
      userName: 'ada@corp.example',
      email: 'ada@corp.example',
      displayName: 'Ada Lovelace',
      givenName: 'Ada',
      familyName: 'Lovelace',
      active: true,
      externalId: null,
    });
  });

  it("keeps a userName that is not an e-mail and signs in with the primary, else work, else first address; Entra's string booleans", () => {
    const state = userStateOf(
      {
        userName: 'Test_User_1',
        emails: [
          { value: 'home@x.example', type: 'home' },
          { value: 'Work@X.example', type: 'work' },
        ],
        active: 'False',
      },
      { active: true },
    );
    expect(state).toMatchObject({ userName: 'test_user_1', email: 'work@x.example', active: false });
    expect(scimTypeOf(() => userStateOf({ userName: 'Test_User_1' }, { active: true }))).toBe('400 invalidValue');
    expect(scimBoolean('active', 'TRUE')).toBe(true);
    expect(scimTypeOf(() => scimBoolean('active', 'yes'))).toBe('400 invalidValue');
  });

  it('a PUT without active never deactivates by omission', () => {
    expect(userStateOf({ userName: 'a@b.example' }, { active: undefined }).active).toBeUndefined();
  });

  it('checks PATCH operations: schema, op, known paths; ignores what Stackgate does not keep', () => {
    const patch = (...Operations: unknown[]) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations });
    expect(userPatchOperations(patch({ op: 'Replace', path: 'active', value: 'False' }))).toEqual([
      { op: 'replace', path: 'active', value: 'False' },
    ]);
    expect(
      userPatchOperations(patch({ op: 'add', path: 'title', value: 'CTO' }, { op: 'replace', value: { locale: 'en', active: false } })),
    ).toEqual([{ op: 'replace', value: { active: false } }]);
    expect(scimTypeOf(() => userPatchOperations(patch({ op: 'replace', path: 'favourite', value: 1 })))).toBe('400 invalidPath');
    expect(scimTypeOf(() => userPatchOperations(patch({ op: 'replace', path: 'groups', value: [] })))).toBe('400 mutability');
    expect(scimTypeOf(() => userPatchOperations(patch({ op: 'copy', path: 'active' })))).toBe('400 invalidSyntax');
    expect(scimTypeOf(() => userPatchOperations({ Operations: [{ op: 'add', path: 'active', value: true }] }))).toBe('400 invalidSyntax');
    expect(
      scimTypeOf(() => userPatchOperations(patch(...Array.from({ length: 101 }, () => ({ op: 'add', path: 'active', value: true }))))),
    ).toBe('413 tooMany');
    expect(rootOf(`${USER}:name.givenName`)).toBe('name');
    expect(rootOf('emails[type eq "work"].value')).toBe('emails');
  });
});

describe('SCIM paging, projection, ETags and errors', () => {
  it('clamps startIndex and count (RFC 7644 §3.4.2.4) and refuses non-integers', () => {
    expect(pagingOf({})).toEqual({ startIndex: 1, count: 100 });
    expect(pagingOf({ startIndex: '0', count: '-5' })).toEqual({ startIndex: 1, count: 0 });
    expect(pagingOf({ count: '100000' }).count).toBe(200);
    expect(scimTypeOf(() => pagingOf({ startIndex: '1.5' }))).toBe('400 invalidValue');
  });

  it('projects top-level attributes, always keeping id, schemas and meta', () => {
    const resource = { schemas: [USER], id: '1', meta: {}, userName: 'a', displayName: 'A', members: [] };
    expect(projection({ attributes: 'userName' }).apply(resource)).toEqual({ schemas: [USER], id: '1', meta: {}, userName: 'a' });
    expect(Object.keys(projection({ excludedAttributes: 'members' }).apply(resource))).not.toContain('members');
  });

  it('versions a resource by its content and answers 412 to a stale If-Match', () => {
    const base: ScimResourceBase = {
      schemas: [USER],
      id: '1',
      meta: { resourceType: 'User', created: '', lastModified: '', location: '' },
      userName: 'a',
    };
    const first = withVersion(base);
    const second = withVersion({ ...base, userName: 'b' });
    expect(first.meta.version).toMatch(/^W\/".+"$/);
    expect(second.meta.version).not.toBe(first.meta.version);
    expect(() => checkIfMatch(first.meta.version, first)).not.toThrow();
    expect(() => checkIfMatch('*', first)).not.toThrow();
    expect(scimTypeOf(() => checkIfMatch(first.meta.version, second))).toBe('412 undefined');
  });

  it("maps identity's refusals, the PATCH library's errors and body-parser errors to SCIM errors", () => {
    const of = (err: unknown) => {
      const { status, body } = toScimError(err);
      return `${status} ${body.scimType ?? '-'}`;
    };
    expect(of(new IdentityError(IdentityErrorCode.EMAIL_TAKEN, 'taken'))).toBe('409 uniqueness');
    expect(of(new IdentityError(IdentityErrorCode.LAST_ADMIN, 'last'))).toBe('400 mutability');
    expect(of(new PlatformError(PlatformErrorCode.STALE_VERSION, 'stale'))).toBe('412 -');
    expect(of(new InvalidScimPatchOp('bad'))).toBe('400 invalidSyntax');
    expect(of({ status: 413, type: 'entity.too.large' })).toBe('413 tooMany');
    expect(of({ status: 400, type: 'entity.parse.failed' })).toBe('400 invalidSyntax');
    expect(of(new Error('boom'))).toBe('500 -');
    expect(toScimError(new Error('boom')).body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '500',
      detail: 'Internal server error',
    });
  });
});
