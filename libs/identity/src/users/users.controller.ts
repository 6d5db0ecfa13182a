import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow, AuthUser, CurrentUser, Page, Role } from '@stackgate/platform';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto, UserQueryDto, UserResponse } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Allow(Role.ADMIN)
  @ApiCreatedResponse({ type: UserResponse })
  @ApiConflictResponse({ description: 'E-mail already in use (case-insensitive)' })
  create(@Body() dto: CreateUserDto): Promise<UserResponse> {
    return this.users.create(dto);
  }

  @Get()
  @Allow(Role.ADMIN)
  list(@Query() q: UserQueryDto): Promise<Page<UserResponse>> {
    return this.users.list(q);
  }

  @Get(':id')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: UserResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return this.users.get(id);
  }

  @Patch(':id')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: UserResponse })
  update(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserResponse> {
    return this.users.update(actor, id, dto);
  }

  @Post(':id/reset-password')
  @HttpCode(204)
  @Allow(Role.ADMIN)
  @ApiNoContentResponse({ description: 'Password replaced; the user\'s existing tokens stop working' })
  resetPassword(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ResetPasswordDto): Promise<void> {
    return this.users.resetPassword(id, dto);
  }
}
