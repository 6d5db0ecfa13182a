import { ApiProperty } from '@nestjs/swagger';
import { BoolField, EnumArrayField, IntField, Role, StringField } from '@stackgate/platform';
import { ALL_SCOPES, SCOPE_DESCRIPTIONS, TokenScope } from '../token-scopes';

/** A date (valid through that day, UTC) or an instant with its offset. */
export const EXPIRY_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const SCOPES_HELP = ALL_SCOPES.map((scope) => `\`${scope}\`: ${SCOPE_DESCRIPTIONS[scope]}`).join('; ');

export class CreateApiTokenDto {
  @StringField({ max: 100, description: 'What the token is for ("Finance system nightly sync")' })
  name: string;

  @EnumArrayField(TokenScope, { minSize: 1, description: `What the token may do (never more than its owner's roles): ${SCOPES_HELP}` })
  scopes: TokenScope[];

  @StringField({
    optional: true,
    nullable: true,
    max: 40,
    pattern: EXPIRY_PATTERN,
    patternMessage: '$property must be a date YYYY-MM-DD or a date-time with offset (2027-01-31T18:00:00Z)',
    description:
      'When the token stops working: a date (valid through that day, UTC) or a date-time, at most API_TOKEN_MAX_DAYS (default 365) days ahead ' +
      '(400 TOKEN_LIFETIME_TOO_LONG beyond); omitted or null = API_TOKEN_MAX_DAYS from now (no expiry only when API_TOKEN_MAX_DAYS=0)',
  })
  expiresAt?: string | null;
}

export class ApiTokenResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['PERSONAL', 'SERVICE'] }) kind: string;
  @ApiProperty({ description: 'The first characters of the token (prefix and lookup id), to recognise it; never the secret' })
  tokenPrefix: string;
  @ApiProperty({ enum: TokenScope, isArray: true }) scopes: TokenScope[];
  @ApiProperty({ description: 'The person (personal token) or service account the token acts as' }) principalId: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expiresAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Updated at most once a minute' })
  lastUsedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) lastUsedIp: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) createdById: string | null;
  @ApiProperty({ enum: ['ACTIVE', 'EXPIRED', 'REVOKED'] }) status: 'ACTIVE' | 'EXPIRED' | 'REVOKED';
  @ApiProperty() createdAt: Date;
}

export class CreatedApiTokenResponse extends ApiTokenResponse {
  @ApiProperty({ description: 'The secret: shown in this answer only, store it now (`Authorization: Bearer <token>`)' })
  token: string;
}

export class ApiTokenListResponse {
  @ApiProperty({ type: ApiTokenResponse, isArray: true }) items: ApiTokenResponse[];
}

/** Roles a service account may hold: every role but ADMIN (separation of duties). */
export const SERVICE_ACCOUNT_ROLES: readonly Role[] = Object.freeze(Object.values(Role).filter((role) => role !== Role.ADMIN));

export class CreateServiceAccountDto {
  @StringField({ max: 100, description: 'Unique name ("NetSuite sync")' })
  name: string;

  @StringField({ optional: true, nullable: true, max: 500, multiline: true })
  description?: string | null;

  @EnumArrayField(Role, { minSize: 1, description: 'Roles of the account; never ADMIN (separation of duties: 422 SERVICE_ACCOUNT_ADMIN)' })
  roles: Role[];
}

export class UpdateServiceAccountDto {
  @StringField({ optional: true, max: 100 })
  name?: string;

  @StringField({ optional: true, nullable: true, max: 500, multiline: true })
  description?: string | null;

  @EnumArrayField(Role, { optional: true, minSize: 1, description: 'Never ADMIN' })
  roles?: Role[];

  @BoolField({ optional: true, description: 'false disables the account: its tokens are refused until it is enabled again' })
  active?: boolean;

  @IntField({ optional: true, min: 1, max: 2_147_483_647, description: 'The version you read; a stale one is 409' })
  version?: number;
}

export class ServiceAccountResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: Role, isArray: true }) roles: Role[];
  @ApiProperty() active: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'The administrator who owns the account' }) ownerId: string | null;
  @ApiProperty({ description: 'Live (unrevoked, unexpired) tokens' }) activeTokens: number;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class ServiceAccountListResponse {
  @ApiProperty({ type: ServiceAccountResponse, isArray: true }) items: ServiceAccountResponse[];
}
