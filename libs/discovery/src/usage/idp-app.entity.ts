import { Entity, Index } from 'typeorm';
import { DateColumn, DateTimeColumn, IdColumn, IntColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';
import { IdpSource } from './idp-presets';

/**
 * An app the identity provider knows, as of its latest import from that provider: its users and whether it matched a
 * catalog tool. Apps with no tool (toolId null) are the identity provider's discovery evidence: `IdpUsageQueries.unmatchedApps`
 * hands them over as they are.
 */
@Entity('idp_apps')
@Index('UQ_idp_apps_source_key', ['source', 'appKey'], { unique: true })
export class IdpApp {
  @IdColumn() id: string;
  @VarcharColumn(10) source: IdpSource;
  /** The name lower-cased with spaces collapsed: one record per app and provider. */
  @VarcharColumn(200) appKey: string;
  @VarcharColumn(200) name: string;
  @UuidColumn({ nullable: true }) toolId: string | null;
  @IntColumn() assignedUsers: number;
  @IntColumn() activeUsers30: number;
  @IntColumn() activeUsers90: number;
  @DateColumn() firstSeen: string;
  @DateColumn() lastSeen: string;
  /** The day the figures are as of (the file's latest sign-in or assignment). */
  @DateColumn() asOf: string;
  @DateTimeColumn() importedAt: Date;
  @UuidColumn({ nullable: true }) importedById: string | null;
}
