import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not } from 'typeorm';
import { Integration, IntegrationFrequency, IntegrationMethod, IntegrationStatus } from './integration.entity';

/** One data flow into or out of a tool (tool names come from the catalog). */
export interface ToolIntegration {
  id: string;
  sourceToolId: string;
  targetToolId: string;
  method: IntegrationMethod;
  frequency: IntegrationFrequency;
  status: IntegrationStatus;
  carriesPersonalData: boolean;
  dataObjects: string[];
}

/** Read-only integration look-ups for other libs (the web pages): typed results. */
@Injectable()
export class IntegrationQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every flow (any status) that starts or ends at the tool, by status. */
  async ofTool(toolId: string): Promise<ToolIntegration[]> {
    const rows = await this.dataSource
      .getRepository(Integration)
      .createQueryBuilder('i')
      .where('i.sourceToolId = :id OR i.targetToolId = :id', { id: toolId })
      .orderBy('i.status', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .getMany();
    return rows.map((i) => ({
      id: i.id,
      sourceToolId: i.sourceToolId,
      targetToolId: i.targetToolId,
      method: i.method,
      frequency: i.frequency,
      status: i.status,
      carriesPersonalData: i.carriesPersonalData,
      dataObjects: i.dataObjects ?? [],
    }));
  }

  // ---- For the governance report ----

  /** Every flow that is not retired (planned, active, …), one statement. */
  async liveFlows(): Promise<ToolIntegration[]> {
    const rows = await this.dataSource.getRepository(Integration).find({ where: { status: Not(IntegrationStatus.RETIRED) } });
    return rows.map((i) => ({
      id: i.id,
      sourceToolId: i.sourceToolId,
      targetToolId: i.targetToolId,
      method: i.method,
      frequency: i.frequency,
      status: i.status,
      carriesPersonalData: i.carriesPersonalData,
      dataObjects: i.dataObjects ?? [],
    }));
  }
}
