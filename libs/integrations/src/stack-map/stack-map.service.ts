import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CatalogQueries, Lifecycle, StackMapTool } from '@stackgate/catalog';
import { jsonPieces, JsonSink, MappedItems, Semaphore, SharedRuns, sqlBool, writeJsonPieces } from '@stackgate/platform';
import { Integration, IntegrationMethod, IntegrationStatus } from '../integrations/integration.entity';
import { StackMapCategory, StackMapEdge, StackMapNode, StackMapResponse } from './stack-map.dto';

/**
 * Builds at once per process. A map of 10,000 tools and 20,000 flows is ~30k rows read and ~7–9 MB of
 * JSON; on two cores more parallel builds only share the CPU, while each holds its memory. Callers
 * beyond this wait their turn, and the API's callers waiting for the same map share the next build.
 */
export const STACK_MAP_CONCURRENT_BUILDS = 1;

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
  /** The API's answers, rendered once per build and shared by the callers waiting for it. */
  private readonly answers = new SharedRuns<Buffer[]>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: CatalogQueries,
  ) {}

  build(includeRetired = false): Promise<StackMapResponse> {
    return this.builds.run(async () => {
      const { tools, edges, categories, node } = await this.read(includeRetired);
      return { nodes: tools.map(node), edges: edges.map(toEdge), categories };
    });
  }

  /**
   * The map as the API's JSON answer. Callers that arrive while a build runs share the next one (SharedRuns):
   * it starts after every one of them arrived, so each sees what was committed before it asked; it reads the
   * map once and renders its JSON once, in pieces, which are then written to each of them. Ten callers at
   * once cost two builds' memory and CPU, not ten.
   */
  async respond(
    includeRetired: boolean,
    res: JsonSink & { status(code: number): unknown; setHeader(name: string, value: string): unknown },
  ): Promise<void> {
    const pieces = await this.answers.run(String(includeRetired), () =>
      this.builds.run(async () => {
        // Rendered straight from the rows, a chunk at a time, each piece kept as bytes at once: no second
        // copy of the rows as objects and no text of the whole map is ever held (less heap for V8 to grow into).
        const { tools, edges, categories, node } = await this.read(includeRetired);
        const map = { nodes: new MappedItems(tools, node), edges: new MappedItems(edges, toEdge), categories };
        return Array.from(jsonPieces(map), (piece) => Buffer.from(piece));
      }),
    );
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    await writeJsonPieces(res, pieces);
  }

  /** The map's rows: its tools, the flows between two of them, the categories, and how a tool is drawn. */
  private async read(includeRetired: boolean): Promise<{
    tools: StackMapTool[];
    edges: EdgeRow[];
    categories: StackMapCategory[];
    node: (tool: StackMapTool) => StackMapNode;
  }> {
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
    const edges = rawEdges.filter((e) => ids.has(e.sourceToolId) && ids.has(e.targetToolId));
    const connected = new Set<string>();
    for (const edge of edges) {
      if (edge.status !== IntegrationStatus.ACTIVE) continue;
      connected.add(edge.sourceToolId);
      connected.add(edge.targetToolId);
    }
    const categories = new Map<string, StackMapCategory>();
    for (const tool of tools) {
      if (!categories.has(tool.categoryId)) categories.set(tool.categoryId, { id: tool.categoryId, name: tool.categoryName });
    }
    const node = (tool: StackMapTool): StackMapNode => ({
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
    });
    return { tools, edges, categories: [...categories.values()], node };
  }
}

/** One flow as the API draws it. */
function toEdge(row: EdgeRow): StackMapEdge {
  return {
    id: row.id,
    sourceToolId: row.sourceToolId,
    targetToolId: row.targetToolId,
    method: row.method,
    status: row.status,
    carriesPersonalData: sqlBool(row.carriesPersonalData),
  };
}
