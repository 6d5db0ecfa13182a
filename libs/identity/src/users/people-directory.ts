import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { User } from './user.entity';

export interface PersonChoice { id: string; displayName: string; email: string }
export interface PersonRef { id: string; email: string }

/** Who people are, for other libs (owner pickers, names beside ids): typed reads of the users table. */
@Injectable()
export class PeopleDirectory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The active accounts, by display name. */
  async activePeople(): Promise<PersonChoice[]> {
    const rows = await this.dataSource.getRepository(User).find({ where: { active: true }, order: { displayName: 'ASC' }, select: { id: true, displayName: true, email: true } });
    return rows.map((u) => ({ id: u.id, displayName: u.displayName, email: u.email }));
  }

  /** The display name of each account among `ids` that exists (active or not). */
  async displayNames(ids: readonly string[]): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    if (!ids.length) return map;
    const rows = await this.dataSource.getRepository(User).createQueryBuilder('u')
      .select(['u.id', 'u.displayName']).where('u.id IN (:...ids)', { ids: [...ids] }).getMany();
    for (const u of rows) map.set(u.id, u.displayName);
    return map;
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
      const rows = await manager.getRepository(User).find({ where: { id: In(wanted.slice(i, i + 500)) }, select: { id: true, email: true } });
      for (const u of rows) map.set(u.id, u.email);
    }
    return map;
  }
}
