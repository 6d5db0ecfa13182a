import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ScimPatchOperation, ScimResource, scimPatch } from 'scim-patch';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { uuidv7, withTransaction } from '@stackgate/platform';
import { User } from '../users/user.entity';
import { compileFilter, FilterAttribute, isMysql } from './scim-filter';
import { scimInvalid, ScimException, scimNotFound } from './scim-errors';
import { checkIfMatch, isObject, iso, listResponse, Paging, ScimResourceBase, scimString, withVersion } from './scim-resources';
import { ScimRules } from './scim-roles';
import { GROUP_SCHEMA, MAX_MEMBERS_PER_REQUEST } from './scim-schemas';
import type { ScimPrincipal } from './scim-tokens.service';
import { patchOperations } from './scim-user-body';
import { ScimGroup, ScimGroupMember, ScimUser } from './scim.entities';

const GROUP_FILTER: Record<string, FilterAttribute> = {
  id: { column: 'g.id', caseExact: true, type: 'string' },
  displayName: { column: 'g.displayName', caseExact: false, type: 'string' },
  externalId: { column: 'g.externalId', caseExact: true, type: 'string' },
  'members.value': {
    exists: (condition) => `EXISTS (SELECT 1 FROM scim_group_members fm WHERE fm.groupId = g.id AND ${condition('fm.userId')})`,
    caseExact: true,
    type: 'string',
  },
  'meta.created': { column: 'g.createdAt', caseExact: true, type: 'dateTime' },
  'meta.lastModified': { column: 'g.updatedAt', caseExact: true, type: 'dateTime' },
};

interface GroupState {
  displayName: string;
  externalId: string | null;
  memberIds: string[];
}

type Member = { value: string; display?: string; $ref?: string; type?: string };

/**
 * SCIM Groups: stored with their members; a group whose displayName is in OIDC_ROLE_MAP gives its
 * roles (the same map as single sign-on), others give nothing. Every change of membership, name or
 * existence re-derives the roles of the people it touches (scim-roles.ts, with its SoD rules).
 */
@Injectable()
export class ScimGroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rules: ScimRules,
    private readonly audit: AuditService,
  ) {}

  async list(baseUrl: string, filter: string | undefined, paging: Paging, withMembers: boolean) {
    const qb = this.dataSource.getRepository(ScimGroup).createQueryBuilder('g');
    if (filter) {
      const compiled = compileFilter(filter, GROUP_FILTER, GROUP_SCHEMA, { binaryCompare: isMysql(this.dataSource) });
      qb.where(compiled.where, compiled.params);
    }
    const total = await qb.getCount();
    const rows = paging.count
      ? await qb
          .orderBy('g.createdAt', 'ASC')
          .addOrderBy('g.id', 'ASC')
          .skip(paging.startIndex - 1)
          .take(paging.count)
          .getMany()
      : [];
    return listResponse(await this.resources(this.dataSource.manager, baseUrl, rows, withMembers), total, paging);
  }

  async get(baseUrl: string, id: string, withMembers = true, manager: EntityManager = this.dataSource.manager) {
    const group = await manager.getRepository(ScimGroup).findOneBy({ id });
    if (!group) throw scimNotFound('Group', id);
    return (await this.resources(manager, baseUrl, [group], withMembers))[0];
  }

  private async resources(manager: EntityManager, baseUrl: string, groups: ScimGroup[], withMembers: boolean): Promise<ScimResourceBase[]> {
    if (!groups.length) return [];
    const ids = groups.map((group) => group.id);
    const members = await manager
      .getRepository(ScimGroupMember)
      .createQueryBuilder('m')
      .innerJoin(User, 'u', 'u.id = m.userId')
      .where('m.groupId IN (:...ids)', { ids })
      .select(['m.groupId AS groupId', 'u.id AS userId', 'u.displayName AS displayName'])
      .orderBy('u.id', 'ASC')
      .getRawMany<{ groupId: string; userId: string; displayName: string }>();
    return groups.map((group) => {
      const resource = withVersion({
        schemas: [GROUP_SCHEMA],
        id: group.id,
        ...(group.externalId ? { externalId: group.externalId } : {}),
        displayName: group.displayName,
        members: members
          .filter((member) => member.groupId === group.id)
          .map((member) => ({
            value: member.userId,
            display: member.displayName,
            $ref: `${baseUrl}/Users/${member.userId}`,
            type: 'User',
          })),
        meta: {
          resourceType: 'Group' as const,
          created: iso(group.createdAt),
          lastModified: iso(group.updatedAt),
          location: `${baseUrl}/Groups/${group.id}`,
        },
      });
      if (withMembers) return resource;
      const { members: omitted, ...rest } = resource;
      void omitted;
      return rest;
    });
  }

  async create(principal: ScimPrincipal, baseUrl: string, body: Record<string, unknown>) {
    const state = groupStateOf(body);
    return withTransaction(this.dataSource, async (manager) => {
      await this.assertNameFree(manager, state.displayName, null);
      await this.assertMembers(manager, state.memberIds);
      const now = new Date();
      const group = Object.assign(new ScimGroup(), {
        id: uuidv7(),
        displayName: state.displayName,
        externalId: state.externalId,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      await manager.getRepository(ScimGroup).insert(group);
      if (state.memberIds.length)
        await manager.getRepository(ScimGroupMember).insert(state.memberIds.map((userId) => ({ groupId: group.id, userId })));
      await this.audit.record(manager, {
        action: 'scim.group_created',
        entityType: 'ScimGroup',
        entityId: group.id,
        after: { displayName: group.displayName, externalId: group.externalId, members: state.memberIds },
      });
      await this.rules.syncRoles(manager, principal, state.memberIds);
      return this.get(baseUrl, group.id, true, manager);
    });
  }

  async replace(principal: ScimPrincipal, baseUrl: string, id: string, body: Record<string, unknown>, ifMatch?: string) {
    const state = groupStateOf(body);
    return this.change(principal, baseUrl, id, ifMatch, async () => state);
  }

  async patch(principal: ScimPrincipal, baseUrl: string, id: string, body: unknown, ifMatch?: string) {
    const operations = patchOperations(body);
    let named = 0;
    for (const operation of operations) {
      const path = typeof operation.path === 'string' ? operation.path.trim() : undefined;
      const root = path
        ?.replace(/^urn:ietf:params:scim:schemas:core:2\.0:group:/i, '')
        .split(/[.[]/)[0]
        .toLowerCase();
      if (root !== undefined && !['members', 'displayname', 'externalid'].includes(root)) {
        throw new ScimException(
          400,
          `${root === 'id' || root === 'meta' ? 'Read-only' : 'Unknown'} attribute path ${path}`,
          root === 'id' || root === 'meta' ? 'mutability' : 'invalidPath',
        );
      }
      if (Array.isArray(operation.value)) named += operation.value.length;
    }
    if (named > MAX_MEMBERS_PER_REQUEST) throw new ScimException(413, `At most ${MAX_MEMBERS_PER_REQUEST} members per request`, 'tooMany');
    // members are compared by value alone (scim-patch removes by deep equality; Entra sends {"$ref": null, "value": …})
    const slim = (value: unknown): unknown =>
      Array.isArray(value) ? value.map((item: unknown) => (isObject(item) ? { value: item.value } : item)) : value;
    const normalized = operations.map((operation): ScimPatchOperation => {
      const path = typeof operation.path === 'string' ? operation.path.trim().toLowerCase() : undefined;
      const value: unknown = operation.value;
      if (path === 'members') return { ...operation, value: slim(value) };
      if (path === undefined && isObject(value) && 'members' in value)
        return { ...operation, value: { ...value, members: slim(value.members) } };
      return operation;
    });
    return this.change(principal, baseUrl, id, ifMatch, async (current) => {
      const resource = { ...current, members: (current.members as Member[]).map((member) => ({ value: member.value })) };
      const patched = scimPatch(resource as unknown as ScimResource, normalized, { mutateDocument: false, treatMissingAsAdd: true });
      return groupStateOf(patched as unknown as Record<string, unknown>, Number.MAX_SAFE_INTEGER);
    });
  }

  async remove(principal: ScimPrincipal, baseUrl: string, id: string, ifMatch?: string): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      const current = await this.get(baseUrl, id, true, manager);
      checkIfMatch(ifMatch, current);
      const memberIds = (current.members as Member[]).map((member) => member.value);
      await manager.getRepository(ScimGroupMember).delete({ groupId: id });
      await manager.getRepository(ScimGroup).delete({ id });
      await this.audit.record(manager, {
        action: 'scim.group_deleted',
        entityType: 'ScimGroup',
        entityId: id,
        before: { displayName: current.displayName, externalId: current.externalId ?? null, members: memberIds },
      });
      await this.rules.syncRoles(manager, principal, memberIds);
    });
  }

  private async change(
    principal: ScimPrincipal,
    baseUrl: string,
    id: string,
    ifMatch: string | undefined,
    desired: (current: ScimResourceBase) => Promise<GroupState>,
  ) {
    return withTransaction(this.dataSource, async (manager) => {
      const current = await this.get(baseUrl, id, true, manager);
      checkIfMatch(ifMatch, current);
      const state = await desired(current);
      const before = {
        displayName: current.displayName as string,
        externalId: (current.externalId as string | undefined) ?? null,
        members: (current.members as Member[]).map((member) => member.value),
      };
      const added = state.memberIds.filter((userId) => !before.members.includes(userId));
      const removed = before.members.filter((userId) => !state.memberIds.includes(userId));
      const renamed = state.displayName !== before.displayName;
      if (!renamed && state.externalId === before.externalId && !added.length && !removed.length) return current;
      if (renamed) await this.assertNameFree(manager, state.displayName, id);
      await this.assertMembers(manager, added);
      const group = (await manager.getRepository(ScimGroup).findOneBy({ id }))!;
      await manager
        .getRepository(ScimGroup)
        .update(
          { id },
          { displayName: state.displayName, externalId: state.externalId, updatedAt: new Date(), version: group.version + 1 },
        );
      if (removed.length) await manager.getRepository(ScimGroupMember).delete({ groupId: id, userId: In(removed) });
      if (added.length) await manager.getRepository(ScimGroupMember).insert(added.map((userId) => ({ groupId: id, userId })));
      await this.audit.record(manager, {
        action: 'scim.group_updated',
        entityType: 'ScimGroup',
        entityId: id,
        before: { displayName: before.displayName, externalId: before.externalId },
        after: { displayName: state.displayName, externalId: state.externalId },
        metadata: { addedMembers: added, removedMembers: removed },
      });
      // a rename can move every member in or out of a mapped group
      await this.rules.syncRoles(manager, principal, renamed ? [...before.members, ...added] : [...added, ...removed]);
      return this.get(baseUrl, id, true, manager);
    });
  }

  private async assertNameFree(manager: EntityManager, displayName: string, exceptId: string | null): Promise<void> {
    const qb = manager
      .getRepository(ScimGroup)
      .createQueryBuilder('g')
      .where('LOWER(g.displayName) = :name', { name: displayName.toLowerCase() });
    if (exceptId) qb.andWhere('g.id <> :id', { id: exceptId });
    if (await qb.getExists()) throw new ScimException(409, `A group named ${displayName} already exists`, 'uniqueness');
  }

  /** Members must be SCIM users (people, not deleted through SCIM). */
  private async assertMembers(manager: EntityManager, userIds: string[]): Promise<void> {
    if (!userIds.length) return;
    const found = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .leftJoin(ScimUser, 'su', 'su.userId = u.id')
      .where('u.id IN (:...ids)', { ids: userIds })
      .andWhere('su.deletedAt IS NULL')
      .andWhere('NOT EXISTS (SELECT 1 FROM service_accounts s WHERE s.id = u.id)')
      .select('u.id', 'id')
      .getRawMany<{ id: string }>();
    const missing = userIds.filter((userId) => !found.some((row) => row.id === userId));
    if (missing.length) throw scimInvalid(`No such users: ${missing.slice(0, 10).join(', ')}`);
  }
}

/** A group's desired state from a SCIM Group (POST, PUT, or the result of a PATCH). */
function groupStateOf(body: Record<string, unknown>, maxMembers = MAX_MEMBERS_PER_REQUEST): GroupState {
  const displayName = scimString('displayName', body.displayName, 255);
  if (!displayName) throw scimInvalid('displayName is required');
  const members = body.members ?? [];
  if (!Array.isArray(members)) throw scimInvalid('members must be a list');
  if (members.length > maxMembers) throw new ScimException(413, `At most ${maxMembers} members per request`, 'tooMany');
  const memberIds = members.map((member: unknown) => {
    if (!isObject(member) || typeof member.value !== 'string' || !member.value.trim())
      throw scimInvalid('Each member needs a value (a user id)');
    return member.value.trim();
  });
  return { displayName, externalId: scimString('externalId', body.externalId, 255), memberIds: [...new Set(memberIds)] };
}
