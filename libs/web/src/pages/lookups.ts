import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Category, CostCenter, Vendor } from '@stackgate/catalog';
import { User } from '@stackgate/identity';

/** Choices for filters and forms (read-only look-ups: categories, vendors, cost centers, people). */
@Injectable()
export class Lookups {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async categoryTree() {
    const all = await this.dataSource.getRepository(Category).find({ order: { sortOrder: 'ASC', name: 'ASC' } });
    return all.filter((c) => c.parentId === null).map((c) => ({
      id: c.id, name: c.name, active: c.active,
      subcategories: all.filter((s) => s.parentId === c.id).map((s) => ({ id: s.id, name: s.name, active: s.active })),
    }));
  }

  vendors() {
    return this.dataSource.getRepository(Vendor).find({ order: { name: 'ASC' }, select: { id: true, name: true } });
  }

  costCenters() {
    return this.dataSource.getRepository(CostCenter).find({ where: { active: true }, order: { code: 'ASC' } });
  }

  people() {
    return this.dataSource.getRepository(User).find({ where: { active: true }, order: { displayName: 'ASC' }, select: { id: true, displayName: true, email: true } });
  }

  async names(ids: (string | null | undefined)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((x): x is string => !!x))];
    const map = new Map<string, string>();
    if (!wanted.length) return map;
    const [users, ccs] = await Promise.all([
      this.dataSource.getRepository(User).createQueryBuilder('u').select(['u.id', 'u.displayName']).where('u.id IN (:...ids)', { ids: wanted }).getMany(),
      this.dataSource.getRepository(CostCenter).createQueryBuilder('c').select(['c.id', 'c.code', 'c.name']).where('c.id IN (:...ids)', { ids: wanted }).getMany(),
    ]);
    for (const u of users) map.set(u.id, u.displayName);
    for (const c of ccs) map.set(c.id, `${c.code} — ${c.name}`);
    return map;
  }
}

