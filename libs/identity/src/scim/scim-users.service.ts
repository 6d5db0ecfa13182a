import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ScimResource, scimPatch } from 'scim-patch';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { updateVersioned, withTransaction } from '@stackgate/platform';
import { ServiceAccount } from '../api-tokens/api-token.entity';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { compileFilter, FilterAttribute, isMysql } from './scim-filter';
import { ScimException, scimNotFound } from './scim-errors';
import { checkIfMatch, iso, listResponse, Paging, ScimResourceBase, withVersion } from './scim-resources';
import { actorOf, ScimRules } from './scim-roles';
import { USER_SCHEMA } from './scim-schemas';
import type { ScimPrincipal } from './scim-tokens.service';
import { UserState, userStateOf, userPatchOperations } from './scim-user-body';
import { ScimGroup, ScimGroupMember, ScimUser } from './scim.entities';

const USER_FILTER: Record<string, FilterAttribute> = {
  id: { column: 'u.id', caseExact: true, type: 'string' },
  userName: { column: 'COALESCE(su.userName, u.email)', caseExact: false, type: 'string' },
  'emails.value': { column: 'u.email', caseExact: false, type: 'string' },
  emails: { column: 'u.email', caseExact: false, type: 'string' },
  // the one address Stackgate keeps is the work address (Okta and Entra filter on emails[type eq "work"])
  'emails.type': { column: "'work'", caseExact: false, type: 'string' },
  externalId: { column: 'su.externalId', caseExact: true, type: 'string' },
  displayName: { column: 'u.displayName', caseExact: false, type: 'string' },
  'name.givenName': { column: 'su.givenName', caseExact: false, type: 'string' },
  'name.familyName': { column: 'su.familyName', caseExact: false, type: 'string' },
  active: { column: 'u.active', caseExact: true, type: 'boolean' },
  'meta.created': { column: 'u.createdAt', caseExact: true, type: 'dateTime' },
  'meta.lastModified': { column: 'u.updatedAt', caseExact: true, type: 'dateTime' },
};

export interface ScimUserResource extends ScimResourceBase {
  userName: string;
}

/**
 * SCIM Users on Stackgate's people (service accounts are not SCIM resources). userName is the e-mail
 * (lower-cased, unique); displayName, active, externalId and name are kept. Deactivation (active false,
 * or DELETE) goes through users.service: every session and API token of the person ends at once.
 * DELETE also hides the user from SCIM (the row stays for the audit trail); a later POST of the same
 * userName provisions them again under the same id.
 */
@Injectable()
export class ScimUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly rules: ScimRules,
    private readonly audit: AuditService,
  ) {}

  private visible(manager: EntityManager) {
    return manager
      .getRepository(User)
      .createQueryBuilder('u')
      .leftJoin(ScimUser, 'su', 'su.userId = u.id')
      .where('su.deletedAt IS NULL')
      .andWhere('NOT EXISTS (SELECT 1 FROM service_accounts s WHERE s.id = u.id)');
  }

  async list(baseUrl: string, filter: string | undefined, paging: Paging) {
    const qb = this.visible(this.dataSource.manager);
    if (filter) {
      const compiled = compileFilter(filter, USER_FILTER, USER_SCHEMA, { binaryCompare: isMysql(this.dataSource) });
      qb.andWhere(compiled.where, compiled.params);
    }
    const total = await qb.getCount();
    const rows = paging.count
      ? await qb
          .orderBy('u.createdAt', 'ASC')
          .addOrderBy('u.id', 'ASC')
          .skip(paging.startIndex - 1)
          .take(paging.count)
          .getMany()
      : [];
    return listResponse(await this.resources(this.dataSource.manager, baseUrl, rows), total, paging);
  }

  async get(baseUrl: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<ScimUserResource> {
    const user = await this.visible(manager).andWhere('u.id = :id', { id }).getOne();
    if (!user) throw scimNotFound('User', id);
    return (await this.resources(manager, baseUrl, [user]))[0];
  }

  private async resources(manager: EntityManager, baseUrl: string, users: User[]): Promise<ScimUserResource[]> {
    if (!users.length) return [];
    const ids = users.map((user) => user.id);
    const scimRows = await manager.getRepository(ScimUser).findBy({ userId: In(ids) });
    const memberships = await manager
      .getRepository(ScimGroupMember)
      .createQueryBuilder('m')
      .innerJoin(ScimGroup, 'g', 'g.id = m.groupId')
      .where('m.userId IN (:...ids)', { ids })
      .select(['m.userId AS userId', 'g.id AS groupId', 'g.displayName AS displayName'])
      .orderBy('g.displayName', 'ASC')
      .getRawMany<{ userId: string; groupId: string; displayName: string }>();
    return users.map((user) => {
      const scim = scimRows.find((row) => row.userId === user.id);
      const lastModified = scim && scim.updatedAt > user.updatedAt ? scim.updatedAt : user.updatedAt;
      const groups = memberships
        .filter((row) => row.userId === user.id)
        .map((row) => ({ value: row.groupId, display: row.displayName, $ref: `${baseUrl}/Groups/${row.groupId}`, type: 'direct' }));
      return withVersion({
        schemas: [USER_SCHEMA],
        id: user.id,
        ...(scim?.externalId ? { externalId: scim.externalId } : {}),
        userName: scim?.userName ?? user.email,
        name: {
          formatted: user.displayName,
          ...(scim?.givenName ? { givenName: scim.givenName } : {}),
          ...(scim?.familyName ? { familyName: scim.familyName } : {}),
        },
        displayName: user.displayName,
        active: user.active,
        emails: [{ value: user.email, type: 'work', primary: true }],
        groups,
        meta: {
          resourceType: 'User' as const,
          created: iso(user.createdAt),
          lastModified: iso(lastModified),
          location: `${baseUrl}/Users/${user.id}`,
        },
      });
    });
  }

  async create(principal: ScimPrincipal, baseUrl: string, body: Record<string, unknown>): Promise<ScimUserResource> {
    const state = userStateOf(body, { active: true });
    return withTransaction(this.dataSource, async (manager) => {
      const existing = await this.users.findByEmail(state.email, manager);
      await this.assertUserNameFree(manager, state.userName, existing?.id ?? null);
      if (existing) {
        const scim = await manager.getRepository(ScimUser).findOneBy({ userId: existing.id });
        const isAccount = await manager.getRepository(ServiceAccount).existsBy({ id: existing.id });
        if (isAccount || !scim?.deletedAt) throw new ScimException(409, `A user with e-mail ${state.email} already exists`, 'uniqueness');
        // provisioned again after a DELETE: the same person, the same id
        await manager.getRepository(ScimUser).update({ userId: existing.id }, { deletedAt: null, updatedAt: new Date() });
        await this.audit.record(manager, { action: 'scim.user_restored', entityType: 'User', entityId: existing.id });
        await this.apply(manager, principal, existing, state);
        await this.rules.syncRoles(manager, principal, [existing.id]);
        return this.get(baseUrl, existing.id, manager);
      }
      const user = await this.usersService.createWith(manager, {
        email: state.email,
        displayName: state.displayName,
        // Never used: a provisioned user signs in with single sign-on (an administrator may set a password).
        password: randomBytes(32).toString('base64url'),
        roles: this.rules.initialRoles,
        active: state.active ?? true,
      });
      await this.saveScimAttributes(manager, user.id, state);
      return this.get(baseUrl, user.id, manager);
    });
  }

  async replace(principal: ScimPrincipal, baseUrl: string, id: string, body: Record<string, unknown>, ifMatch?: string) {
    return this.change(baseUrl, id, ifMatch, async (manager, user) => {
      await this.apply(manager, principal, user, userStateOf(body, { active: undefined }));
    });
  }

  async patch(principal: ScimPrincipal, baseUrl: string, id: string, body: unknown, ifMatch?: string) {
    const operations = userPatchOperations(body);
    return this.change(baseUrl, id, ifMatch, async (manager, user, current) => {
      if (!operations.length) return;
      const patched = scimPatch(structuredClone(current) as unknown as ScimResource, operations, {
        mutateDocument: false,
        treatMissingAsAdd: true,
      });
      await this.apply(manager, principal, user, userStateOf(patched as unknown as Record<string, unknown>, { active: undefined }));
    });
  }

  /** DELETE: deactivates (sessions and tokens end) and hides the user from SCIM; never removes the row. */
  async remove(principal: ScimPrincipal, baseUrl: string, id: string, ifMatch?: string): Promise<void> {
    await this.change(
      baseUrl,
      id,
      ifMatch,
      async (manager, user) => {
        this.rules.assertMayChange(principal, user, 'deactivate');
        if (user.active) await this.usersService.updateWith(manager, actorOf(principal), id, { active: false }, { source: 'scim' });
        await this.scimRow(manager, id);
        await manager.getRepository(ScimUser).update({ userId: id }, { deletedAt: new Date(), updatedAt: new Date() });
        const groups = await manager.getRepository(ScimGroupMember).findBy({ userId: id });
        await manager.getRepository(ScimGroupMember).delete({ userId: id });
        await this.audit.record(manager, {
          action: 'scim.user_deleted',
          entityType: 'User',
          entityId: id,
          metadata: { removedFromGroups: groups.map((member) => member.groupId) },
        });
      },
      { reread: false },
    );
  }

  private async change(
    baseUrl: string,
    id: string,
    ifMatch: string | undefined,
    work: (manager: EntityManager, user: User, current: ScimUserResource) => Promise<void>,
    { reread = true } = {},
  ): Promise<ScimUserResource> {
    return withTransaction(this.dataSource, async (manager) => {
      const current = await this.get(baseUrl, id, manager);
      checkIfMatch(ifMatch, current);
      const user = (await this.users.findById(id, manager))!;
      await work(manager, user, current);
      // after a DELETE the user is no SCIM resource any more: nothing to read back
      return reread ? this.get(baseUrl, id, manager) : current;
    });
  }

  /** Brings the user to `state` through the rules of users.service (and SCIM's own, scim-roles.ts). */
  private async apply(manager: EntityManager, principal: ScimPrincipal, user: User, state: UserState): Promise<void> {
    const scim = await this.scimRow(manager, user.id);
    if (state.userName !== (scim.userName ?? user.email) || state.email !== user.email) {
      this.rules.assertMayChange(principal, user, 'userName');
      await this.assertUserNameFree(manager, state.userName, user.id);
    }
    if (state.email !== user.email) {
      if (await manager.getRepository(User).existsBy({ email: state.email }))
        throw new ScimException(409, `A user with e-mail ${state.email} already exists`, 'uniqueness');
      await updateVersioned(manager, User, 'User', user.id, user.version, { email: state.email });
      await this.audit.record(manager, {
        action: 'user.updated',
        entityType: 'User',
        entityId: user.id,
        before: { email: user.email },
        after: { email: state.email },
        metadata: { source: 'scim' },
      });
      user = (await this.users.findById(user.id, manager))!;
    }
    const deactivates = state.active === false && user.active;
    if (deactivates) this.rules.assertMayChange(principal, user, 'deactivate');
    const dto = {
      ...(state.displayName !== user.displayName ? { displayName: state.displayName } : {}),
      ...(state.active !== undefined && state.active !== user.active ? { active: state.active } : {}),
    };
    if (Object.keys(dto).length) await this.usersService.updateWith(manager, actorOf(principal), user.id, dto, { source: 'scim' });
    await this.saveScimAttributes(manager, user.id, state);
  }

  /** userName is unique among SCIM users (compared without case), whether it is their e-mail or not. */
  private async assertUserNameFree(manager: EntityManager, userName: string, exceptId: string | null): Promise<void> {
    const qb = manager
      .getRepository(User)
      .createQueryBuilder('u')
      .leftJoin(ScimUser, 'su', 'su.userId = u.id')
      .where('LOWER(COALESCE(su.userName, u.email)) = :userName', { userName });
    if (exceptId) qb.andWhere('u.id <> :id', { id: exceptId });
    if (await qb.getExists()) throw new ScimException(409, `A user with userName ${userName} already exists`, 'uniqueness');
  }

  private async scimRow(manager: EntityManager, userId: string): Promise<ScimUser> {
    const repo = manager.getRepository(ScimUser);
    const found = await repo.findOneBy({ userId });
    if (found) return found;
    const now = new Date();
    const row = Object.assign(new ScimUser(), {
      userId,
      externalId: null,
      givenName: null,
      familyName: null,
      deletedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await repo.insert(row);
    return row;
  }

  private async saveScimAttributes(manager: EntityManager, userId: string, state: UserState): Promise<void> {
    const row = await this.scimRow(manager, userId);
    const before = { userName: row.userName, externalId: row.externalId, givenName: row.givenName, familyName: row.familyName };
    const after = {
      userName: state.userName === state.email ? null : state.userName,
      externalId: state.externalId,
      givenName: state.givenName,
      familyName: state.familyName,
    };
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    await manager.getRepository(ScimUser).update({ userId }, { ...after, updatedAt: new Date() });
    await this.audit.record(manager, { action: 'scim.user_updated', entityType: 'User', entityId: userId, before, after });
  }
}
