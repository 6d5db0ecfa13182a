import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { User } from './user.entity';

export interface PersonChoice { id: string; displayName: string; email: string }

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
    for (const row of rows) map.set(row.id, row.displayName);
    return map;
  }
}
