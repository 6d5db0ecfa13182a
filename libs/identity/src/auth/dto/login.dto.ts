import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { UserResponse } from '../../users/dto/user.dto';

/** The longest e-mail address (RFC 5321 path limit), as for users. */
export const LOGIN_EMAIL_MAX = 254;
export const LOGIN_PASSWORD_MAX = 200;

/** The sign-in body; the web sign-in form is validated with this class too. */
export class LoginDto {
  @ApiProperty({ example: 'cmo@demo.stackgate.local', maxLength: LOGIN_EMAIL_MAX })
  @IsString()
  @MinLength(3)
  @MaxLength(LOGIN_EMAIL_MAX)
  email: string;

  @ApiProperty({ maxLength: LOGIN_PASSWORD_MAX })
  @IsString()
  @MinLength(1)
  @MaxLength(LOGIN_PASSWORD_MAX)
  password: string;
}

export class LoginResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn: number;
  @ApiProperty({ type: UserResponse }) user: UserResponse;
}
