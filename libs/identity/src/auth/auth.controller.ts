import { Body, Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, Public } from '@stackgate/platform';
import { UserResponse } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponse } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @ApiOperation({ summary: 'Sign in with e-mail and password; answers a bearer token and the user' })
  @Post('login')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: LoginResponse })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail or password, or inactive account' })
  @ApiTooManyRequestsResponse({
    description:
      'Too many failed attempts for this account (from this address, or from all), or a wrong password from ' +
      'an address that is slowed down after too many failures; see Retry-After',
  })
  login(@Body() dto: LoginDto, @Req() req: Request): Promise<LoginResponse> {
    return this.auth.login(dto.email, dto.password, req.ip);
  }

  @ApiOperation({ summary: 'Sign out everywhere: every token of the signed-in user stops working' })
  @Post('logout')
  @HttpCode(204)
  @Allow(ANY_ROLE)
  @ApiNoContentResponse({ description: 'Every token of this user stops working' })
  logout(@CurrentUser() user: AuthUser): Promise<void> {
    return this.auth.logout(user);
  }

  @ApiOperation({ summary: 'The signed-in user' })
  @Get('me')
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentUser() user: AuthUser): Promise<UserResponse> {
    return this.users.get(user.id);
  }
}
