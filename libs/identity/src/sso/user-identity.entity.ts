import { Entity } from 'typeorm';
import { DateTimeColumn, IdColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';

/** A user's account at an identity provider: the provider's issuer and its stable subject id (`sub`). */
@Entity('user_identities')
export class UserIdentity {
  @IdColumn() id: string;
  @UuidColumn() userId: string;
  @VarcharColumn(255) issuer: string;
  @VarcharColumn(255) subject: string;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn({ nullable: true }) lastLoginAt: Date | null;
}
