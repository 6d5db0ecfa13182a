import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull, Not } from 'typeorm';
import { AuthUser } from '@stackgate/platform';
import { Lifecycle } from '../catalog.enums';
import { Category } from '../categories/category.entity';
import { CostCenter } from '../cost-centers/cost-center.entity';
import { Tool } from '../tools/tool.entity';
import { ColumnLayout, ImportKind, ImportOptions, ImportRow } from './import-kind';
import { ImportPipeline } from './import-pipeline';

/** Records of the workspace that example rows may name, so that they pass a check as they are. */
export interface ExampleSamples {
  /** Up to three tools not retired, by name. */
  tools: string[];
  /** Up to three active subcategories, by name. */
  subcategories: string[];
  /** Up to three active cost centers' codes, by code. */
  costCenters: string[];
  /** The e-mail of the user who downloads the template. */
  email: string;
  /** Today, YYYY-MM-DD (UTC). */
  today: string;
}

/** Records of each kind sampled for the examples. */
const SAMPLES = 3;

/** "A:60%; B:40%" with two cost centers, "A:100%" with one: how an allocation cell is written in percent. */
export function exampleAllocation(codes: readonly string[]): string {
  if (codes.length >= 2) return `${codes[0]}:60%; ${codes[1]}:40%`;
  return codes.length ? `${codes[0]}:100%` : '';
}

/**
 * The example rows of a template: what the kind proposes (`examples`, naming the workspace's own
 * tools, subcategories and cost centers), kept only when the import would accept them as they are —
 * each row goes through the pipeline's plan, as a dry run of the template would. A row that cannot
 * pass (no tool exists yet to name, say) is left out rather than shipped broken.
 */
@Injectable()
export class ImportExamples {
  constructor(private readonly pipeline: ImportPipeline) {}

  /** `layout` and `options`: the preset's (ImportKind.layout), for kinds that offer several. */
  async rows(
    kind: ImportKind,
    manager: EntityManager,
    actor: AuthUser,
    layout: ColumnLayout = { columns: kind.columns },
    options: ImportOptions = {},
  ): Promise<Record<string, string>[]> {
    if (!kind.examples) return [];
    const proposed = kind.examples(await this.samples(manager, actor), options);
    const rows: ImportRow[] = proposed.map((values, index) => ({ row: index + 2, values: completed(layout, values) }));
    const plan = await this.pipeline.plan(kind, rows, manager, actor, options);
    return plan.rows
      .filter((planned) => planned.errors.length === 0)
      .map((planned) => rows[planned.row - 2].values as Record<string, string>);
  }

  private async samples(manager: EntityManager, actor: AuthUser): Promise<ExampleSamples> {
    const [tools, subcategories, centers] = await Promise.all([
      manager.getRepository(Tool).find({
        where: { lifecycle: Not(Lifecycle.RETIRED) },
        order: { nameKey: 'ASC' },
        select: { id: true, name: true },
        take: SAMPLES,
      }),
      manager.getRepository(Category).find({
        where: { parentId: Not(IsNull()), active: true },
        order: { nameKey: 'ASC' },
        select: { id: true, name: true },
        take: SAMPLES,
      }),
      manager
        .getRepository(CostCenter)
        .find({ where: { active: true }, order: { code: 'ASC' }, select: { id: true, code: true }, take: SAMPLES }),
    ]);
    return {
      tools: tools.map((tool) => tool.name),
      subcategories: subcategories.map((sub) => sub.name),
      costCenters: centers.map((center) => center.code),
      email: actor.email,
      today: new Date().toISOString().slice(0, 10),
    };
  }
}

/** Every template column, '' where the example leaves it empty (a template row has all of them). */
function completed(layout: ColumnLayout, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(layout.columns.map((column) => [column.name, values[column.name] ?? '']));
}
