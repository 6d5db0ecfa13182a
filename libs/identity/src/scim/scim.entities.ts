import { Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IdColumn, UuidColumn, VarcharColumn, VersionedEntity } from '@stackgate/platform';

/** A bearer token an identity provider provisions with on /scim/v2 (and nowhere else). The secret is never stored. */
@Entity('scim_tokens')
export class ScimToken {
  @IdColumn() id: string;
  /** The token's public lookup part (indexed, unique); the rest of the token is secret. */
  @VarcharColumn(12) lookupId: string;
  /** SHA-256 (hex) of the whole token. */
  @VarcharColumn(64) tokenHash: string;
  @VarcharColumn(100) name: string;
  /** The administrator who created it: SCIM acts on their behalf and may never change their own roles or account. */
  @UuidColumn({ nullable: true }) createdById: string | null;
  @DateTimeColumn({ nullable: true }) expiresAt: Date | null;
  @DateTimeColumn({ nullable: true }) lastUsedAt: Date | null;
  @VarcharColumn(64, { nullable: true }) lastUsedIp: string | null;
  @DateTimeColumn({ nullable: true }) revokedAt: Date | null;
  @UuidColumn({ nullable: true }) revokedById: string | null;
  @DateTimeColumn() createdAt: Date;
}

/** The SCIM side of a user: the identity provider's externalId, and whether SCIM deleted (deprovisioned) it. */
@Entity('scim_users')
export class ScimUser {
  @PrimaryColumn({ type: 'varchar', length: 36 }) userId: string;
  /** The identity provider's userName when it is not the e-mail (lower-cased); null: userName is the e-mail. */
  @VarcharColumn(254, { nullable: true }) userName: string | null;
  @VarcharColumn(255, { nullable: true }) externalId: string | null;
  @VarcharColumn(120, { nullable: true }) givenName: string | null;
  @VarcharColumn(120, { nullable: true }) familyName: string | null;
  /** Set by DELETE: the user is deactivated and no longer a SCIM resource (the row of users stays for the audit trail). */
  @DateTimeColumn({ nullable: true }) deletedAt: Date | null;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}

/** A group pushed by the identity provider; its displayName is looked up in OIDC_ROLE_MAP. */
@Entity('scim_groups')
export class ScimGroup extends VersionedEntity {
  @VarcharColumn(255) displayName: string;
  @VarcharColumn(255, { nullable: true }) externalId: string | null;
}

@Entity('scim_group_members')
export class ScimGroupMember {
  @PrimaryColumn({ type: 'varchar', length: 36 }) groupId: string;
  @PrimaryColumn({ type: 'varchar', length: 36 }) userId: string;
}
