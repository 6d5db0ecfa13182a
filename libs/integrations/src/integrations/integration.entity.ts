import { Entity } from 'typeorm';
import { BoolColumn, JsonColumn, TextColumn, UuidColumn, VarcharColumn, VersionedEntity } from '@stackgate/platform';

export enum IntegrationMethod {
  NATIVE = 'NATIVE',
  API = 'API',
  IPAAS = 'IPAAS',
  FILE = 'FILE',
  MANUAL = 'MANUAL',
}
export enum IntegrationFrequency {
  REALTIME = 'REALTIME',
  HOURLY = 'HOURLY',
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
  AD_HOC = 'AD_HOC',
}
export enum IntegrationStatus {
  PLANNED = 'PLANNED',
  ACTIVE = 'ACTIVE',
  BROKEN = 'BROKEN',
  RETIRED = 'RETIRED',
}

/** A directed data flow from a source tool to a target tool. */
@Entity('integrations')
export class Integration extends VersionedEntity {
  @UuidColumn() sourceToolId: string;
  @UuidColumn() targetToolId: string;
  @JsonColumn() dataObjects: string[];
  @VarcharColumn(20) method: IntegrationMethod;
  @VarcharColumn(20) frequency: IntegrationFrequency;
  @VarcharColumn(20) status: IntegrationStatus;
  @BoolColumn() carriesPersonalData: boolean;
  @UuidColumn({ nullable: true }) ownerId: string | null;
  @TextColumn({ nullable: true }) notes: string | null;
  /**
   * "source:target:method" while the flow is not retired, else null. A unique index on it keeps
   * one live flow per (source, target, method) on every engine (NULLs never collide).
   */
  @VarcharColumn(120, { nullable: true }) liveKey: string | null;
}
