import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import {
  AuthUser,
  isUniqueViolation,
  notFound,
  Role,
  updateVersioned,
  uuidv7,
  validationFailed,
  withTransaction,
} from '@stackgate/platform';
import { rolesOf, User, UserRole } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { IdentityError, IdentityErrorCode } from '../identity.errors';
import { ApiToken, ServiceAccount } from './api-token.entity';
import { ApiTokensService } from './api-tokens.service';
import {
  ApiTokenResponse,
  CreateApiTokenDto,
  CreatedApiTokenResponse,
  CreateServiceAccountDto,
  ServiceAccountResponse,
  UpdateServiceAccountDto,
} from './dto/api-token.dto';

/** The users row of a service account has no usable password: no argon2 hash ever equals this. */
export const NO_PASSWORD = '!service-account: signs in with API tokens only';
const accountEmail = (id: string) => `sa-${id}@service-accounts.invalid`;

function assertNoAdmin(roles: readonly Role[] | undefined): void {
  if (roles?.includes(Role.ADMIN)) {
    throw new IdentityError(
      IdentityErrorCode.SERVICE_ACCOUNT_ADMIN,
      'A service account cannot hold ADMIN (separation of duties): administration is done by named people',
    );
  }
}

const nameTaken = (name: string) =>
  new IdentityError(IdentityErrorCode.SERVICE_ACCOUNT_NAME_TAKEN, `A service account named "${name}" already exists`);

/**
 * Service accounts: named non-person principals for integrations, owned by the administrator who
 * created them. Each is a users row (roles, active flag; no password, so it cannot sign in) plus a
 * service_accounts row (name, description, owner). ADMIN is never given to one.
 */
@Injectable()
export class ServiceAccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly tokens: ApiTokensService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: AuthUser, dto: CreateServiceAccountDto): Promise<ServiceAccountResponse> {
    assertNoAdmin(dto.roles);
    const id = uuidv7();
    try {
      await withTransaction(this.dataSource, async (manager) => {
        if (await manager.getRepository(ServiceAccount).exists({ where: { name: dto.name } })) throw nameTaken(dto.name);
        const now = new Date();
        const roles = [...new Set(dto.roles)].sort();
        await manager.getRepository(User).insert({
          id,
          email: accountEmail(id),
          displayName: dto.name,
          passwordHash: NO_PASSWORD,
          active: true,
          tokenVersion: 1,
          lastLoginAt: null,
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
        await manager.getRepository(UserRole).insert(roles.map((role) => ({ userId: id, role })));
        const account = {
          id,
          name: dto.name,
          description: dto.description ?? null,
          ownerId: actor.id,
          createdAt: now,
          updatedAt: now,
          version: 1,
        };
        await manager.getRepository(ServiceAccount).insert(account);
        await this.audit.record(manager, {
          action: 'service_account.created',
          entityType: 'ServiceAccount',
          entityId: id,
          after: { name: account.name, description: account.description, ownerId: account.ownerId, roles, active: true },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(dto.name);
      throw err;
    }
    return this.get(id);
  }

  async list(): Promise<ServiceAccountResponse[]> {
    const accounts = await this.dataSource.getRepository(ServiceAccount).find({ order: { name: 'ASC' } });
    return this.responses(this.dataSource.manager, accounts);
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<ServiceAccountResponse> {
    const account = await manager.getRepository(ServiceAccount).findOne({ where: { id } });
    if (!account) throw notFound('Service account', id);
    return (await this.responses(manager, [account]))[0];
  }

  async update(actor: AuthUser, id: string, dto: UpdateServiceAccountDto): Promise<ServiceAccountResponse> {
    assertNoAdmin(dto.roles);
    try {
      await withTransaction(this.dataSource, async (manager) => {
        const before = await this.get(id, manager);
        const changes: Partial<ServiceAccount> = {};
        if (dto.name !== undefined && dto.name !== before.name) {
          if (await manager.getRepository(ServiceAccount).exists({ where: { name: dto.name } })) throw nameTaken(dto.name);
          changes.name = dto.name;
        }
        if (dto.description !== undefined) changes.description = dto.description ?? null;
        await updateVersioned(manager, ServiceAccount, 'Service account', id, dto.version ?? before.version, changes);
        const user = await this.users.findById(id, manager);
        if (!user) throw notFound('Service account', id);
        const userChanges: Partial<User> = {};
        if (changes.name) userChanges.displayName = changes.name;
        if (dto.active !== undefined && dto.active !== user.active) userChanges.active = dto.active;
        if (Object.keys(userChanges).length) await manager.getRepository(User).update({ id }, { ...userChanges, updatedAt: new Date() });
        const roles = dto.roles ? [...new Set(dto.roles)].sort() : rolesOf(user);
        if (dto.roles) {
          await manager.getRepository(UserRole).delete({ userId: id });
          await manager.getRepository(UserRole).insert(roles.map((role) => ({ userId: id, role })));
        }
        const after = { ...before, ...changes, roles, active: userChanges.active ?? user.active };
        const action =
          userChanges.active === false
            ? 'service_account.disabled'
            : userChanges.active === true
              ? 'service_account.enabled'
              : 'service_account.updated';
        const pick = (account: ServiceAccountResponse) => ({
          name: account.name,
          description: account.description,
          roles: account.roles,
          active: account.active,
        });
        await this.audit.record(manager, {
          action,
          entityType: 'ServiceAccount',
          entityId: id,
          before: pick(before),
          after: pick(after),
          metadata: { by: actor.id },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err) && dto.name) throw nameTaken(dto.name);
      throw err;
    }
    return this.get(id);
  }

  async createToken(actor: AuthUser, id: string, dto: CreateApiTokenDto): Promise<CreatedApiTokenResponse> {
    return withTransaction(this.dataSource, async (manager) => {
      const account = await this.get(id, manager);
      if (!account.active) throw validationFailed('The service account is disabled: enable it before issuing tokens');
      return this.tokens.issue(manager, 'SERVICE', id, dto, actor);
    });
  }

  async listTokens(id: string): Promise<ApiTokenResponse[]> {
    await this.get(id);
    return this.tokens.listOf(id, 'SERVICE');
  }

  async revokeToken(actor: AuthUser, id: string, tokenId: string): Promise<void> {
    await this.get(id);
    await this.tokens.revokeOf(actor, id, tokenId);
  }

  /** Whether `id` is a service account's users row (the people screens and sign-in leave those alone). */
  async isServiceAccount(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(ServiceAccount).exists({ where: { id } });
  }

  private async responses(manager: EntityManager, accounts: ServiceAccount[]): Promise<ServiceAccountResponse[]> {
    if (!accounts.length) return [];
    const ids = accounts.map((account) => account.id);
    const users = await manager.getRepository(User).find({ where: { id: In(ids) }, relations: { roleRows: true } });
    const live = await manager
      .getRepository(ApiToken)
      .createQueryBuilder('t')
      .select('t.principalId', 'principalId')
      .addSelect('COUNT(*)', 'count')
      .where({ principalId: In(ids), revokedAt: IsNull() })
      .andWhere('(t.expiresAt IS NULL OR t.expiresAt > :now)', { now: new Date() })
      .groupBy('t.principalId')
      .getRawMany<{ principalId: string; count: unknown }>();
    return accounts.map((account) => {
      const user = users.find((row) => row.id === account.id);
      return {
        id: account.id,
        name: account.name,
        description: account.description,
        roles: user ? rolesOf(user) : [],
        active: user?.active ?? false,
        ownerId: account.ownerId,
        activeTokens: Number(live.find((row) => row.principalId === account.id)?.count ?? 0),
        version: account.version,
        createdAt: account.createdAt,
        updatedAt: account.updatedAt,
      };
    });
  }
}
