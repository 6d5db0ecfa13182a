import { ApiProperty } from '@nestjs/swagger';
import { BoolField, IntField, PageMetaResponse, QueryBoolField, SortablePageQueryDto, StringField } from '@stackgate/platform';

const URL_PATTERN = /^https?:\/\/[^\s]+$/;

export class CreateVendorDto {
  @StringField({ max: 200, description: 'Unique regardless of case' }) name: string;
  @StringField({ nullable: true, max: 500, pattern: URL_PATTERN, patternMessage: 'website must be an http(s) URL' }) website?:
    string | null;
  @BoolField({ optional: true, description: 'SOC 2 attestation. Security attestation (IT, CIO, ADMIN). Default false' }) soc2?: boolean;
  @BoolField({ optional: true, description: 'ISO 27001 certification. Security attestation (IT, CIO, ADMIN). Default false' })
  iso27001?: boolean;
  @BoolField({ optional: true, description: 'Data processing agreement signed. Security attestation (IT, CIO, ADMIN). Default false' })
  dpaSigned?: boolean;
  @StringField({ nullable: true, max: 5000, multiline: true }) notes?: string | null;
}

export class UpdateVendorDto {
  @StringField({ optional: true, max: 200 }) name?: string;
  @StringField({ nullable: true, max: 500, pattern: URL_PATTERN, patternMessage: 'website must be an http(s) URL' }) website?:
    string | null;
  @BoolField({ optional: true, description: 'Security attestation (IT, CIO, ADMIN)' }) soc2?: boolean;
  @BoolField({ optional: true, description: 'Security attestation (IT, CIO, ADMIN)' }) iso27001?: boolean;
  @BoolField({ optional: true, description: 'Security attestation (IT, CIO, ADMIN)' }) dpaSigned?: boolean;
  @StringField({ nullable: true, max: 5000, multiline: true }) notes?: string | null;
  @IntField({ min: 1, max: 2_147_483_647, description: 'The version you read; a stale one is 409' }) version: number;
}

export class VendorQueryDto extends SortablePageQueryDto {
  @StringField({ optional: true, max: 100, description: 'Matches the name' }) search?: string;
  @QueryBoolField() dpaSigned?: boolean;
}

export class VendorResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) website: string | null;
  @ApiProperty() soc2: boolean;
  @ApiProperty() iso27001: boolean;
  @ApiProperty() dpaSigned: boolean;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class VendorPageResponse extends PageMetaResponse {
  @ApiProperty({ type: VendorResponse, isArray: true }) items: VendorResponse[];
}
