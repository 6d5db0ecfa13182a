import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import {
  AuthUser,
  isUniqueViolation,
  notFound,
  Page,
  pageParams,
  Role,
  updateVersioned,
  uuidv7,
  withTransaction,
} from '@stackgate/platform';
import { hashPassword } from '../auth/password';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto, UserQueryDto, UserResponse } from './dto/user.dto';
import { rolesOf, User, UserRole } from './user.entity';
import { UsersRepository } from './users.repository';
import { IdentityError, IdentityErrorCode } from '../identity.errors';
import { ServiceAccount } from '../api-tokens/api-token.entity';
import { ApiTokensService } from '../api-tokens/api-tokens.service';

/** The response allow-list: never the hash or the token version. */
export function toUserResponse(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    roles: rolesOf(user),
    active: user.active,
    lastLoginAt: user.lastLoginAt,
    version: user.version,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

const snapshot = (u: User) => ({ email: u.email, displayName: u.displayName, roles: rolesOf(u), active: u.active });

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  /** Creates a user inside `manager`'s transaction (also used by bootstrap and demo seeding). */
  async createWith(manager: EntityManager, dto: CreateUserDto): Promise<User> {
    const email = dto.email.trim().toLowerCase();
    if (await manager.getRepository(User).exists({ where: { email } })) {
      throw new IdentityError(IdentityErrorCode.EMAIL_TAKEN, `A user with e-mail ${email} already exists`);
    }
    const now = new Date();
    const user = Object.assign(new User(), {
      id: uuidv7(),
      email,
      displayName: dto.displayName,
      passwordHash: await hashPassword(dto.password),
      active: dto.active ?? true,
      tokenVersion: 1,
      lastLoginAt: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    await manager.getRepository(User).insert(user);
    const roles = [...new Set(dto.roles)];
    if (roles.length) await manager.getRepository(UserRole).insert(roles.map((role) => ({ userId: user.id, role })));
    user.roleRows = roles.map((role) => Object.assign(new UserRole(), { userId: user.id, role }));
    await this.audit.record(manager, { action: 'user.created', entityType: 'User', entityId: user.id, after: snapshot(user) });
    return user;
  }

  async create(dto: CreateUserDto): Promise<UserResponse> {
    try {
      const user = await withTransaction(this.dataSource, (m) => this.createWith(m, dto));
      return toUserResponse(user);
    } catch (err) {
      if (isUniqueViolation(err)) throw new IdentityError(IdentityErrorCode.EMAIL_TAKEN, `A user with e-mail ${dto.email} already exists`);
      throw err;
    }
  }

  async list(query: UserQueryDto): Promise<Page<UserResponse>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const qb = this.dataSource.getRepository(User).createQueryBuilder('u');
    // service accounts are managed under /service-accounts, not as people
    qb.andWhere('NOT EXISTS (SELECT 1 FROM service_accounts s WHERE s.id = u.id)');
    if (query.search) {
      qb.andWhere('(LOWER(u.email) LIKE :s OR LOWER(u.displayName) LIKE :s)', { s: `%${escapeLike(query.search.toLowerCase())}%` });
    }
    if (query.active !== undefined) qb.andWhere('u.active = :active', { active: query.active });
    if (query.role) qb.andWhere('EXISTS (SELECT 1 FROM user_roles r WHERE r.userId = u.id AND r.role = :role)', { role: query.role });
    const [rows, total] = await qb.orderBy('u.email', 'ASC').skip(skip).take(take).getManyAndCount();
    const ids = rows.map((u) => u.id);
    const roleRows = ids.length
      ? await this.dataSource.getRepository(UserRole).createQueryBuilder('r').where('r.userId IN (:...ids)', { ids }).getMany()
      : [];
    for (const user of rows) user.roleRows = roleRows.filter((r) => r.userId === user.id);
    return { items: rows.map(toUserResponse), page, pageSize, total };
  }

  async get(id: string): Promise<UserResponse> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('User', id);
    return toUserResponse(user);
  }

  /** A person (the users API): a service account's users row is 404 here, it is managed under /service-accounts. */
  async getPerson(id: string): Promise<UserResponse> {
    await this.assertPerson(this.dataSource.manager, id);
    return this.get(id);
  }

  private async assertPerson(manager: EntityManager, id: string): Promise<void> {
    if (await manager.getRepository(ServiceAccount).exists({ where: { id } })) throw notFound('User', id);
  }

  async update(actor: AuthUser, id: string, dto: UpdateUserDto): Promise<UserResponse> {
    await withTransaction(this.dataSource, (manager) => this.updateWith(manager, actor, id, dto));
    return this.get(id);
  }

  /**
   * Changes a person in `manager`'s transaction under the rules of every path (the users API, SCIM):
   * never one's own roles or account, at least one active ADMIN, and deactivation ends every session
   * (token version) and revokes every API token at once. `bumpOnRoleChange` also ends the sessions of
   * a person whose roles change (role sync from an identity provider, as single sign-on does).
   */
  async updateWith(
    manager: EntityManager,
    actor: AuthUser,
    id: string,
    dto: UpdateUserDto,
    options: { bumpOnRoleChange?: boolean; source?: string } = {},
  ): Promise<void> {
    if (dto.roles && id === actor.id) throw new IdentityError(IdentityErrorCode.OWN_ROLES, 'You cannot change your own roles');
    if (dto.active === false && id === actor.id)
      throw new IdentityError(IdentityErrorCode.CANNOT_DEACTIVATE_SELF, 'You cannot deactivate yourself');
    const user = await this.users.findById(id, manager);
    if (!user) throw notFound('User', id);
    await this.assertPerson(manager, id);
    const before = snapshot(user);
    const version = dto.version ?? user.version;
    const changes: Partial<User> = {};
    if (dto.displayName !== undefined) changes.displayName = dto.displayName;
    if (dto.active !== undefined && dto.active !== user.active) {
      changes.active = dto.active;
      if (!dto.active) changes.tokenVersion = user.tokenVersion + 1;
    }
    const newRoles = dto.roles ? [...new Set(dto.roles)].sort() : undefined;
    if (options.bumpOnRoleChange && newRoles && newRoles.join() !== rolesOf(user).join()) changes.tokenVersion = user.tokenVersion + 1;
    const losesAdmin = (newRoles && !newRoles.includes(Role.ADMIN)) || dto.active === false;
    if (losesAdmin && rolesOf(user).includes(Role.ADMIN)) await this.assertAnotherActiveAdmin(manager, id);
    await updateVersioned(manager, User, 'User', id, version, changes);
    if (newRoles) {
      await manager.getRepository(UserRole).delete({ userId: id });
      if (newRoles.length) await manager.getRepository(UserRole).insert(newRoles.map((role) => ({ userId: id, role })));
    }
    const after = { ...before, ...changes, ...(newRoles ? { roles: newRoles } : {}) };
    const action = changes.active === false ? 'user.deactivated' : changes.active === true ? 'user.reactivated' : 'user.updated';
    const metadata = options.source ? { source: options.source } : undefined;
    await this.audit.record(manager, { action, entityType: 'User', entityId: id, before, after, ...(metadata ? { metadata } : {}) });
    // a deactivated person's personal access tokens die for good (reactivation does not revive them)
    if (changes.active === false) await this.apiTokens.revokeAllOf(manager, id, actor.id, 'user.deactivated');
  }

  async resetPassword(id: string, dto: ResetPasswordDto): Promise<void> {
    const passwordHash = await hashPassword(dto.password);
    await withTransaction(this.dataSource, async (manager) => {
      const user = await this.users.findById(id, manager);
      if (!user) throw notFound('User', id);
      await this.assertPerson(manager, id);
      await updateVersioned(manager, User, 'User', id, user.version, { passwordHash, tokenVersion: user.tokenVersion + 1 });
      await this.audit.record(manager, { action: 'user.password_reset', entityType: 'User', entityId: id });
    });
  }

  private async assertAnotherActiveAdmin(manager: EntityManager, exceptId: string): Promise<void> {
    const others = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .innerJoin(UserRole, 'r', 'r.userId = u.id AND r.role = :role', { role: Role.ADMIN })
      .where('u.active = :active AND u.id <> :id', { active: true, id: exceptId })
      .getCount();
    if (others === 0) throw new IdentityError(IdentityErrorCode.LAST_ADMIN, 'At least one active administrator must remain');
  }
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}
