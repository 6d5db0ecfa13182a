import { Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';
import { BoolColumn, DateTimeColumn, IntColumn, Role, VarcharColumn, VersionedEntity } from '@stackgate/platform';

@Entity('users')
export class User extends VersionedEntity {
  /** Stored trimmed and lower-cased, so uniqueness ignores case on every engine. */
  @VarcharColumn(254) email: string;
  @VarcharColumn(120) displayName: string;
  @VarcharColumn(255) passwordHash: string;
  @BoolColumn() active: boolean;
  /** Bumped on logout, password change and deactivation: older tokens stop working. */
  @IntColumn() tokenVersion: number;
  @DateTimeColumn({ nullable: true }) lastLoginAt: Date | null;

  @OneToMany(() => UserRole, (r) => r.user)
  roleRows?: UserRole[];
}

@Entity('user_roles')
export class UserRole {
  @PrimaryColumn({ type: 'varchar', length: 36 }) userId: string;
  @PrimaryColumn({ type: 'varchar', length: 20 }) role: Role;

  @ManyToOne(() => User, (u) => u.roleRows, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: User;
}

export const rolesOf = (u: User): Role[] => (u.roleRows ?? []).map((r) => r.role).sort();
