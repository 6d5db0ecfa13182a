import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuthUser, Role } from '@stackgate/platform';
import { User, UserRole } from './user.entity';

export interface PersonChoice {
  id: string;
  displayName: string;
  email: string;
}
/** Who to notify: an account's id and e-mail. */
export interface PersonContact {
  id: string;
  email: string;
}
/** An account as other libs may see it: never its password hash or token version. */
export interface PersonFacts {
  id: string;
  email: string;
  displayName: string;
  active: boolean;
}

/** Ids per IN (...) list: far below every engine's parameter limit. */
const ID_CHUNK = 500;
/** An account's id and e-mail (an import's owner columns). */
export interface PersonRef {
  id: string;
  email: string;
}

/** Who people are, for other libs (owner pickers, names beside ids): typed reads of the users table. */
@Injectable()
export class PeopleDirectory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The active accounts, by display name. */
  async activePeople(): Promise<PersonChoice[]> {
    // service accounts are not people: never offered as owners
    const rows = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .select(['u.id', 'u.displayName', 'u.email'])
      .where('u.active = :active', { active: true })
      .andWhere('NOT EXISTS (SELECT 1 FROM service_accounts s WHERE s.id = u.id)')
      .orderBy('u.displayName', 'ASC')
      .getMany();
    return rows.map((u) => ({ id: u.id, displayName: u.displayName, email: u.email }));
  }

  /** The display name of each account among `ids` that exists (active or not). */
  async displayNames(ids: readonly string[]): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    if (!ids.length) return map;
    const rows = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .select(['u.id', 'u.displayName'])
      .where('u.id IN (:...ids)', { ids: [...ids] })
      .getMany();
    for (const row of rows) map.set(row.id, row.displayName);
    return map;
  }

  // The reads below serve other libs' writes and jobs. Each takes the caller's EntityManager, so
  // inside a transaction they read what that transaction sees.

  /** The ids among `ids` that belong to an account (active or not): one query per 500 ids. */
  async existingIds(ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Set<string>> {
    const wanted = [...new Set(ids)];
    const found = new Set<string>();
    for (let start = 0; start < wanted.length; start += ID_CHUNK) {
      const rows = await manager
        .getRepository(User)
        .find({ where: { id: In(wanted.slice(start, start + ID_CHUNK)) }, select: { id: true } });
      for (const user of rows) found.add(user.id);
    }
    return found;
  }

  /** Id, e-mail, name and active flag of each account among `ids` that exists (active or not). */
  async facts(ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, PersonFacts>> {
    const wanted = [...new Set(ids)];
    const out = new Map<string, PersonFacts>();
    for (let start = 0; start < wanted.length; start += ID_CHUNK) {
      const rows = await manager.getRepository(User).find({
        where: { id: In(wanted.slice(start, start + ID_CHUNK)) },
        select: { id: true, email: true, displayName: true, active: true },
      });
      for (const user of rows) out.set(user.id, { id: user.id, email: user.email, displayName: user.displayName, active: user.active });
    }
    return out;
  }

  /** The active accounts holding at least one of `roles`, each once, by e-mail. */
  async activeWithRoles(roles: readonly Role[], manager: EntityManager = this.dataSource.manager): Promise<PersonContact[]> {
    if (!roles.length) return [];
    const rows = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .innerJoin(UserRole, 'ur', 'ur.userId = u.id AND ur.role IN (:...roles)', { roles: [...roles] })
      .where('u.active = :active', { active: true })
      .select(['u.id', 'u.email'])
      .orderBy('u.email', 'ASC')
      .getMany();
    return rows.map((u) => ({ id: u.id, email: u.email }));
  }

  /**
   * The account as an actor (id, e-mail, name, roles) for work done in its name, e.g. the CIO whose
   * decision a later step applies; null when no such account exists. One query.
   */
  async actor(id: string, manager: EntityManager = this.dataSource.manager): Promise<AuthUser | null> {
    const user = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .leftJoinAndSelect('u.roleRows', 'r')
      .select(['u.id', 'u.email', 'u.displayName', 'r.userId', 'r.role'])
      .where('u.id = :id', { id })
      .getOne();
    return user ? { id: user.id, email: user.email, displayName: user.displayName, roles: (user.roleRows ?? []).map((r) => r.role) } : null;
  }

  /** The accounts (active or not) whose e-mail (stored lower-cased) is among `emails`: one query, in the caller's transaction. */
  async byEmails(manager: EntityManager, emails: readonly string[]): Promise<PersonRef[]> {
    if (!emails.length) return [];
    const rows = await manager.getRepository(User).find({ where: { email: In([...emails]) }, select: { id: true, email: true } });
    return rows.map((u) => ({ id: u.id, email: u.email }));
  }

  /** The e-mail of each account among `ids` that exists (active or not), 500 ids per query. */
  async emailsByIds(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    const map = new Map<string, string>();
    for (let i = 0; i < wanted.length; i += 500) {
      const rows = await manager
        .getRepository(User)
        .find({ where: { id: In(wanted.slice(i, i + 500)) }, select: { id: true, email: true } });
      for (const user of rows) map.set(user.id, user.email);
    }
    return map;
  }
}
