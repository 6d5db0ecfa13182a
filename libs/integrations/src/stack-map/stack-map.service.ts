import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CatalogQueries, Lifecycle } from '@stackgate/catalog';
import { jsonPieces, JsonSink, Semaphore, sqlBool, writeJsonPieces } from '@stackgate/platform';
import { Integration, IntegrationMethod, IntegrationStatus } from '../integrations/integration.entity';
import { StackMapNode, StackMapResponse } from './stack-map.dto';

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
  /** Per includeRetired, the build API callers are waiting for that has not started yet. */
  private readonly nextBuild = new Map<boolean, { started: boolean; pieces: Promise<Buffer[]> }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: CatalogQueries,
  ) {}

  build(includeRetired = false): Promise<StackMapResponse> {
    return this.builds.run(() => this.read(includeRetired));
  }

  /**
   * The map as the API's JSON answer. Callers that arrive while a build runs wait for the next one and share
   * it: it starts after every one of them arrived (so each sees what was committed before it asked), reads
   * the map once and renders its JSON once, in pieces, which are then written to each of them. Ten callers
   * at once cost one build's memory and CPU, not ten.
   */
  async respond(
    includeRetired: boolean,
    res: JsonSink & { status(code: number): unknown; setHeader(name: string, value: string): unknown },
  ): Promise<void> {
    let next = this.nextBuild.get(includeRetired);
    if (!next) {
      const build = { started: false, pieces: undefined as unknown as Promise<Buffer[]> };
      build.pieces = this.builds.run(async () => {
        // Started: callers from now on wait for a build after this one.
        build.started = true;
        if (this.nextBuild.get(includeRetired) === build) this.nextBuild.delete(includeRetired);
        const map = await this.read(includeRetired);
        return [...jsonPieces(map as unknown as Record<string, unknown>)].map((piece) => Buffer.from(piece));
      });
      if (!build.started) this.nextBuild.set(includeRetired, build);
      next = build;
    }
    const pieces = await next.pieces;
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    await writeJsonPieces(res, pieces);
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
