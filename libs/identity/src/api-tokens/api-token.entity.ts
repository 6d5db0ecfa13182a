import { Entity } from 'typeorm';
import { DateTimeColumn, IdColumn, UuidColumn, VarcharColumn, VersionedEntity } from '@stackgate/platform';
import type { TokenKind } from './token-format';

/** A personal access token or a service account's token. The secret itself is never stored. */
@Entity('api_tokens')
export class ApiToken {
  @IdColumn() id: string;
  @VarcharColumn(20) kind: TokenKind;
  /** The token's public lookup part (indexed, unique); the rest of the token is secret. */
  @VarcharColumn(12) lookupId: string;
  /** SHA-256 (hex) of the whole token. */
  @VarcharColumn(64) tokenHash: string;
  @VarcharColumn(100) name: string;
  /** The scopes, comma-separated (token-scopes.ts). */
  @VarcharColumn(200) scopes: string;
  /** Whose roles the token acts with: the person (PERSONAL) or the service account's user row (SERVICE). */
  @UuidColumn() principalId: string;
  @UuidColumn({ nullable: true }) createdById: string | null;
  @DateTimeColumn({ nullable: true }) expiresAt: Date | null;
  @DateTimeColumn({ nullable: true }) lastUsedAt: Date | null;
  @VarcharColumn(64, { nullable: true }) lastUsedIp: string | null;
  @DateTimeColumn({ nullable: true }) revokedAt: Date | null;
  @UuidColumn({ nullable: true }) revokedById: string | null;
  @DateTimeColumn() createdAt: Date;
}

/**
 * A non-person principal for integrations. Its id is the id of its users row (roles, active flag),
 * which has no usable password; its name and owning administrator are kept here.
 */
@Entity('service_accounts')
export class ServiceAccount extends VersionedEntity {
  @VarcharColumn(100) name: string;
  @VarcharColumn(500, { nullable: true }) description: string | null;
  @UuidColumn({ nullable: true }) ownerId: string | null;
}
