import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, AuthUser, Role } from '@stackgate/platform';
import { rolesFromGroups } from '../sso/sso.service';
import { rolesOf, User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { ScimException } from './scim-errors';
import { ScimGroup, ScimGroupMember } from './scim.entities';
import type { ScimPrincipal } from './scim-tokens.service';

/** The user SCIM acts as: the administrator who created the token (the rules of users.service hold for them). */
export const actorOf = (principal: ScimPrincipal): AuthUser => ({ ...principal.admin });

/**
 * Separation of duties on /scim/v2: the identity provider acts on behalf of the administrator who
 * created the SCIM token, so it may never change that administrator's own roles or account (no one
 * escalates themselves through a group they control at the provider), never deactivate or demote the
 * break-glass administrator (BREAK_GLASS_ADMIN_EMAIL), and never leave Stackgate without an active
 * ADMIN (users.service). A refused change is 403 and the whole request changes nothing.
 */
@Injectable()
export class ScimRules {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
  ) {}

  /** OIDC_ROLE_MAP (the same map single sign-on uses); empty when roles are managed in Stackgate. */
  get roleMap(): Map<string, Role[]> {
    return this.config.oidc?.roleMap ?? new Map<string, Role[]>();
  }

  /** Roles of a user SCIM creates: none until a mapped group names them (role map), else the JIT roles of single sign-on. */
  get initialRoles(): Role[] {
    return this.roleMap.size ? [] : (this.config.oidc?.jitRoles ?? [Role.MARKETER]);
  }

  assertMayChange(principal: ScimPrincipal, user: User, change: 'deactivate' | 'roles' | 'userName', roles?: Role[]): void {
    if (user.id === principal.admin.id) {
      throw new ScimException(
        403,
        `SCIM acts for ${principal.admin.email}, who created its token: it may not change their own ${change === 'roles' ? 'roles' : 'account'}`,
      );
    }
    const breakGlass = this.config.breakGlassAdminEmail;
    const demotes = change === 'roles' && rolesOf(user).includes(Role.ADMIN) && !roles?.includes(Role.ADMIN);
    if (breakGlass && user.email === breakGlass && (change !== 'roles' || demotes)) {
      throw new ScimException(403, 'SCIM may not deactivate, rename or demote the break-glass administrator (BREAK_GLASS_ADMIN_EMAIL)');
    }
  }

  /** Re-derives the roles of `userIds` from their SCIM groups under the role map (nothing without a map). */
  async syncRoles(manager: EntityManager, principal: ScimPrincipal, userIds: Iterable<string>): Promise<void> {
    if (!this.roleMap.size) return;
    for (const id of new Set(userIds)) {
      const user = await this.users.findById(id, manager);
      if (!user) continue;
      const groups = await manager
        .getRepository(ScimGroup)
        .createQueryBuilder('g')
        .innerJoin(ScimGroupMember, 'm', 'm.groupId = g.id')
        .where('m.userId = :id', { id })
        .select('g.displayName', 'displayName')
        .getRawMany<{ displayName: string }>();
      const derived = rolesFromGroups(
        this.roleMap,
        groups.map((group) => group.displayName),
      );
      if (derived.join() === rolesOf(user).join()) continue;
      this.assertMayChange(principal, user, 'roles', derived);
      await this.usersService.updateWith(manager, actorOf(principal), id, { roles: derived }, { bumpOnRoleChange: true, source: 'scim' });
    }
  }
}
