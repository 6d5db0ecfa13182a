import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AuthUser, CurrentUser, Page, Role } from '@stackgate/platform';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto, UserPageResponse, UserQueryDto, UserResponse } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @ApiOperation({ summary: 'Create a user with one or more roles (e-mail unique regardless of case)' })
  @Post()
  @Allow(Role.ADMIN)
  @ApiCreatedResponse({ type: UserResponse })
  @ApiConflictResponse({ description: 'E-mail already in use (case-insensitive)' })
  create(@Body() dto: CreateUserDto): Promise<UserResponse> {
    return this.users.create(dto);
  }

  @ApiOperation({ summary: 'List users with their roles (search, role and active filters, paging)' })
  @Get()
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: UserPageResponse })
  list(@Query() query: UserQueryDto): Promise<Page<UserResponse>> {
    return this.users.list(query);
  }

  @ApiOperation({ summary: 'One user with roles and active flag' })
  @Get(':id')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: UserResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return this.users.getPerson(id);
  }

  @ApiOperation({ summary: "Change a user's display name, roles or active flag (an admin cannot change their own roles)" })
  @Patch(':id')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: UserResponse })
  update(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserResponse> {
    return this.users.update(actor, id, dto);
  }

  @ApiOperation({ summary: "Set a new password for a user; the user's existing tokens stop working" })
  @Post(':id/reset-password')
  @HttpCode(204)
  @Allow(Role.ADMIN)
  @ApiNoContentResponse({ description: "Password replaced; the user's existing tokens stop working" })
  resetPassword(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ResetPasswordDto): Promise<void> {
    return this.users.resetPassword(id, dto);
  }
}
