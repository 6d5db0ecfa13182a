import { Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IntColumn } from '@stackgate/platform';

/** Failed-login counters per account ("acct:<email>"), per account and client ("acct-ip:<hash>") and per client ("ip:<address>"). */
@Entity('login_throttles')
export class LoginThrottle {
  @PrimaryColumn({ type: 'varchar', length: 300 }) throttleKey: string;
  @IntColumn() failures: number;
  @DateTimeColumn() windowStartedAt: Date;
  @DateTimeColumn({ nullable: true }) lockedUntil: Date | null;
}
