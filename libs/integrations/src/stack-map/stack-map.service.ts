import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Category, Lifecycle, Tool } from '@stackgate/catalog';
import { Integration, IntegrationStatus } from '../integrations/integration.entity';
import { StackMapEdge, StackMapNode, StackMapResponse } from './stack-map.dto';

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 1n;

/** The catalog as a graph: one query for the nodes (tools with their categories), one for the edges. */
@Injectable()
export class StackMapService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async build(includeRetired = false): Promise<StackMapResponse> {
    const nodesQ = this.dataSource.getRepository(Tool).createQueryBuilder('t')
      .innerJoin(Category, 'sub', 'sub.id = t.subcategoryId')
      .innerJoin(Category, 'cat', 'cat.id = t.categoryId')
      .select(['t.id AS id', 't.name AS name', 't.categoryId AS categoryId', 'cat.name AS categoryName', 'cat.sortOrder AS categoryOrder',
        't.subcategoryId AS subcategoryId', 'sub.name AS subcategoryName', 't.lifecycle AS lifecycle', 't.itApprovalStatus AS itApproval',
        't.shadowIt AS shadowIt', 't.isSystemOfRecord AS isSystemOfRecord'])
      .orderBy('cat.sortOrder', 'ASC').addOrderBy('sub.sortOrder', 'ASC').addOrderBy('t.nameKey', 'ASC');
    if (!includeRetired) nodesQ.where('t.lifecycle <> :retired', { retired: Lifecycle.RETIRED });
    const edgesQ = this.dataSource.getRepository(Integration).createQueryBuilder('i')
      .select(['i.id AS id', 'i.sourceToolId AS sourceToolId', 'i.targetToolId AS targetToolId', 'i.method AS method', 'i.status AS status',
        'i.carriesPersonalData AS carriesPersonalData'])
      .orderBy('i.id', 'ASC');
    if (!includeRetired) edgesQ.where('i.status <> :retired', { retired: IntegrationStatus.RETIRED });
    const [rawNodes, rawEdges] = await Promise.all([nodesQ.getRawMany(), edgesQ.getRawMany()]);

    const ids = new Set(rawNodes.map((n) => n.id as string));
    // An edge is drawn only when both of its tools are on the map.
    const edges: StackMapEdge[] = rawEdges
      .filter((e) => ids.has(e.sourceToolId) && ids.has(e.targetToolId))
      .map((e) => ({ id: e.id, sourceToolId: e.sourceToolId, targetToolId: e.targetToolId, method: e.method, status: e.status, carriesPersonalData: truthy(e.carriesPersonalData) }));
    const connected = new Set(edges.filter((e) => e.status === IntegrationStatus.ACTIVE).flatMap((e) => [e.sourceToolId, e.targetToolId]));
    const categories = new Map<string, { id: string; name: string }>();
    const nodes: StackMapNode[] = rawNodes.map((n) => {
      if (!categories.has(n.categoryId)) categories.set(n.categoryId, { id: n.categoryId, name: n.categoryName });
      return {
        id: n.id, name: n.name, categoryId: n.categoryId, categoryName: n.categoryName, subcategoryId: n.subcategoryId, subcategoryName: n.subcategoryName,
        lifecycle: n.lifecycle, itApproval: n.itApproval, shadowIt: truthy(n.shadowIt), isSystemOfRecord: truthy(n.isSystemOfRecord),
        silo: n.lifecycle === Lifecycle.ACTIVE && !connected.has(n.id),
      };
    });
    return { nodes, edges, categories: [...categories.values()] };
  }
}
