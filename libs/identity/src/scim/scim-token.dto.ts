import { ApiProperty } from '@nestjs/swagger';
import { StringField } from '@stackgate/platform';
import { EXPIRY_PATTERN } from '../api-tokens/dto/api-token.dto';

export class CreateScimTokenDto {
  @StringField({ optional: true, max: 100, description: 'What the token is for ("Okta provisioning"); default "SCIM provisioning"' })
  name?: string;

  @StringField({
    optional: true,
    nullable: true,
    max: 40,
    pattern: EXPIRY_PATTERN,
    patternMessage: '$property must be a date YYYY-MM-DD or a date-time with offset (2027-01-31T18:00:00Z)',
    description: 'When the token stops working: a date (valid through that day, UTC) or a date-time; omitted or null = no expiry',
  })
  expiresAt?: string | null;
}

export class ScimTokenResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The first characters of the token (prefix and lookup id), to recognise it; never the secret' })
  tokenPrefix: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The administrator who created it: SCIM acts on their behalf and never changes their own roles or account',
  })
  createdById: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expiresAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Updated at most once a minute' })
  lastUsedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) lastUsedIp: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt: Date | null;
  @ApiProperty({ enum: ['ACTIVE', 'EXPIRED', 'REVOKED'] }) status: 'ACTIVE' | 'EXPIRED' | 'REVOKED';
  @ApiProperty() createdAt: Date;
}

export class CreatedScimTokenResponse extends ScimTokenResponse {
  @ApiProperty({
    description: 'The secret (`sgscim_…`): shown in this answer only; paste it into the identity provider as the bearer token',
  })
  token: string;
  @ApiProperty({ description: 'The SCIM base URL to paste into the identity provider (PUBLIC_URL + /scim/v2)' })
  baseUrl: string;
}

export class ScimTokenListResponse {
  @ApiProperty({ type: ScimTokenResponse, isArray: true }) items: ScimTokenResponse[];
  @ApiProperty({ description: 'The SCIM base URL (PUBLIC_URL + /scim/v2)' }) baseUrl: string;
}
