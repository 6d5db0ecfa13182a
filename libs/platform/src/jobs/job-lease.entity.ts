import { Entity } from 'typeorm';
import { DateTimeColumn, VarcharColumn } from '../database/columns';
import { PrimaryColumn } from 'typeorm';

/** One row per scheduled job: who holds it until when, and the last period it ran for. */
@Entity('job_leases')
export class JobLease {
  @PrimaryColumn({ type: 'varchar', length: 100 }) name: string;
  @VarcharColumn(100, { nullable: true }) holder: string | null;
  @DateTimeColumn({ nullable: true }) leasedUntil: Date | null;
  @VarcharColumn(40, { nullable: true }) lastPeriod: string | null;
}
