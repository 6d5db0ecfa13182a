import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CatalogQueries, Lifecycle } from '@stackgate/catalog';
import { JsonSink, Semaphore, sqlBool, writeJsonStreamed } from '@stackgate/platform';
import { Integration, IntegrationMethod, IntegrationStatus } from '../integrations/integration.entity';
import { StackMapNode, StackMapResponse } from './stack-map.dto';

/**
 * Builds at once per process. A map of 10,000 tools and 20,000 flows is ~30k rows read and ~7 MB of
 * JSON; on two cores more parallel builds only share the CPU, while each holds its memory. Callers
 * beyond this wait their turn (same throughput, bounded memory).
 */
export const STACK_MAP_CONCURRENT_BUILDS = 2;

/** One flow as the stack-map query selects it (the boolean as the engine answers it, see sqlBool). */
interface EdgeRow {
  id: string;
  sourceToolId: string;
  targetToolId: string;
  method: IntegrationMethod;
  status: IntegrationStatus;
  carriesPersonalData: unknown;
}

/** The catalog as a graph: one query for the nodes (the catalog's tools with their categories), one for the edges. */
@Injectable()
export class StackMapService {
  private readonly builds = new Semaphore(STACK_MAP_CONCURRENT_BUILDS);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: CatalogQueries,
  ) {}

  build(includeRetired = false): Promise<StackMapResponse> {
    return this.builds.run(() => this.read(includeRetired));
  }

  /**
   * The map as the API's JSON answer, written in pieces inside the same limit: the build and the
   * writing of its ~7 MB both count against it, so memory stays bounded however many ask at once.
   */
  respond(
    includeRetired: boolean,
    res: JsonSink & { status(code: number): unknown; setHeader(name: string, value: string): unknown },
  ): Promise<void> {
    return this.builds.run(async () => {
      const map = await this.read(includeRetired);
      res.status(200);
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      await writeJsonStreamed(res, map as unknown as Record<string, unknown>);
    });
  }

  private async read(includeRetired: boolean): Promise<StackMapResponse> {
    const edgesQ = this.dataSource
      .getRepository(Integration)
      .createQueryBuilder('i')
      .select([
        'i.id AS id',
        'i.sourceToolId AS sourceToolId',
        'i.targetToolId AS targetToolId',
        'i.method AS method',
        'i.status AS status',
        'i.carriesPersonalData AS carriesPersonalData',
      ])
      .orderBy('i.id', 'ASC');
    if (!includeRetired) edgesQ.where('i.status <> :retired', { retired: IntegrationStatus.RETIRED });
    const [tools, rawEdges] = await Promise.all([this.catalog.stackMapTools(includeRetired), edgesQ.getRawMany<EdgeRow>()]);

    const ids = new Set(tools.map((n) => n.id));
    // An edge is drawn only when both of its tools are on the map.
    const edges = rawEdges
      .filter((e) => ids.has(e.sourceToolId) && ids.has(e.targetToolId))
      .map((e) => ({
        id: e.id,
        sourceToolId: e.sourceToolId,
        targetToolId: e.targetToolId,
        method: e.method,
        status: e.status,
        carriesPersonalData: sqlBool(e.carriesPersonalData),
      }));
    const connected = new Set(edges.filter((e) => e.status === IntegrationStatus.ACTIVE).flatMap((e) => [e.sourceToolId, e.targetToolId]));
    const categories = new Map<string, { id: string; name: string }>();
    const nodes: StackMapNode[] = tools.map((tool) => {
      if (!categories.has(tool.categoryId)) categories.set(tool.categoryId, { id: tool.categoryId, name: tool.categoryName });
      return {
        id: tool.id,
        name: tool.name,
        categoryId: tool.categoryId,
        categoryName: tool.categoryName,
        subcategoryId: tool.subcategoryId,
        subcategoryName: tool.subcategoryName,
        lifecycle: tool.lifecycle,
        itApproval: tool.itApproval,
        shadowIt: tool.shadowIt,
        isSystemOfRecord: tool.isSystemOfRecord,
        silo: tool.lifecycle === Lifecycle.ACTIVE && !connected.has(tool.id),
      };
    });
    return { nodes, edges, categories: [...categories.values()] };
  }
}
