import { ApiProperty } from '@nestjs/swagger';
import { BoolField, EmailField, EnumArrayField, IntField, PageQueryDto, QueryBoolField, Role, StringField } from '@stackgate/platform';
import { EnumField } from '@stackgate/platform';

export const PASSWORD_RULE = { min: 12, max: 200 };

export class CreateUserDto {
  @EmailField()
  email: string;

  @StringField({ max: 120 })
  displayName: string;

  @StringField({ min: PASSWORD_RULE.min, max: PASSWORD_RULE.max, trim: false, description: 'At least 12 characters' })
  password: string;

  @EnumArrayField(Role, { minSize: 1, description: 'One or more roles' })
  roles: Role[];

  @BoolField({ optional: true })
  active?: boolean;
}

export class UpdateUserDto {
  @StringField({ optional: true, max: 120 })
  displayName?: string;

  @EnumArrayField(Role, { optional: true, minSize: 1 })
  roles?: Role[];

  @BoolField({ optional: true, description: 'false deactivates the user: sign-in and existing tokens stop working' })
  active?: boolean;

  @IntField({ optional: true, min: 1, max: 2_147_483_647, description: 'The version you read; a stale one is 409' })
  version?: number;
}

export class ResetPasswordDto {
  @StringField({ min: PASSWORD_RULE.min, max: PASSWORD_RULE.max, trim: false })
  password: string;
}

export class UserQueryDto extends PageQueryDto {
  @StringField({ optional: true, max: 100, description: 'Matches e-mail or display name' })
  search?: string;

  @EnumField(Role, { optional: true })
  role?: Role;

  @QueryBoolField()
  active?: boolean;
}

export class UserResponse {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: Role, isArray: true }) roles: Role[];
  @ApiProperty() active: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastLoginAt: Date | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class UserPageResponse {
  @ApiProperty({ type: UserResponse, isArray: true }) items: UserResponse[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
