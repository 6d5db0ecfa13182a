import { Injectable } from '@nestjs/common';
import { CatalogQueries, CategoriesService } from '@stackgate/catalog';
import { PeopleDirectory } from '@stackgate/identity';

/** Choices for filters and forms (read-only look-ups: categories, vendors, cost centers, people), from the owning libs. */
@Injectable()
export class Lookups {
  constructor(
    private readonly categories: CategoriesService,
    private readonly catalog: CatalogQueries,
    private readonly directory: PeopleDirectory,
  ) {}

  async categoryTree() {
    const tree = await this.categories.tree();
    return tree.map((c) => ({
      id: c.id,
      name: c.name,
      active: c.active,
      subcategories: c.subcategories.map((s) => ({ id: s.id, name: s.name, active: s.active })),
    }));
  }

  vendors() {
    return this.catalog.vendorChoices();
  }

  costCenters() {
    return this.catalog.activeCostCenters();
  }

  people() {
    return this.directory.activePeople();
  }

  /** Display names of people and "CODE — Name" of cost centers, by id (ids of either kind, mixed). */
  async names(ids: (string | null | undefined)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((x): x is string => !!x))];
    const map = new Map<string, string>();
    if (!wanted.length) return map;
    const [users, ccs] = await Promise.all([this.directory.displayNames(wanted), this.catalog.costCenterLabels(wanted)]);
    for (const [id, name] of users) map.set(id, name);
    for (const [id, label] of ccs) map.set(id, label);
    return map;
  }
}
