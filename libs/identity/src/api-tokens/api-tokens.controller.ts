import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, Role } from '@stackgate/platform';
import { ApiTokensService } from './api-tokens.service';
import {
  ApiTokenListResponse,
  CreateApiTokenDto,
  CreatedApiTokenResponse,
  CreateServiceAccountDto,
  ServiceAccountListResponse,
  ServiceAccountResponse,
  UpdateServiceAccountDto,
} from './dto/api-token.dto';
import { ServiceAccountsService } from './service-accounts.service';

@ApiTags('api-tokens')
@Controller('api-tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @ApiOperation({
    summary: 'Create a personal access token (the secret is in this answer only)',
    description:
      'The token acts with your current roles, narrowed to its scopes; it stops working when revoked, expired or when your ' +
      'account is deactivated. It survives sign-out and password changes. Not callable with an API token.',
  })
  @Post()
  @Allow(ANY_ROLE)
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: CreatedApiTokenResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, or TOKEN_LIFETIME_TOO_LONG: expiresAt beyond API_TOKEN_MAX_DAYS' })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateApiTokenDto): Promise<CreatedApiTokenResponse> {
    return this.tokens.createPersonal(actor, dto);
  }

  @ApiOperation({ summary: 'Your personal access tokens with last use, expiry and revocation (never the secret)' })
  @Get()
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: ApiTokenListResponse })
  async list(@CurrentUser() actor: AuthUser): Promise<ApiTokenListResponse> {
    return { items: await this.tokens.listOf(actor.id, 'PERSONAL') };
  }

  @ApiOperation({ summary: "Revoke one of your personal access tokens (ADMIN: anyone's token); another's is 404" })
  @Delete(':id')
  @HttpCode(204)
  @Allow(ANY_ROLE)
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  revoke(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.tokens.revokePersonal(actor, id);
  }
}

@ApiTags('service-accounts')
@Controller('service-accounts')
export class ServiceAccountsController {
  constructor(private readonly accounts: ServiceAccountsService) {}

  @ApiOperation({ summary: 'Create a service account (a non-person principal for integrations; never ADMIN)' })
  @Post()
  @Allow(Role.ADMIN)
  @ApiCreatedResponse({ type: ServiceAccountResponse })
  @ApiConflictResponse({ description: 'Name already in use' })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateServiceAccountDto): Promise<ServiceAccountResponse> {
    return this.accounts.create(actor, dto);
  }

  @ApiOperation({ summary: 'Service accounts with roles, owner and live token count' })
  @Get()
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: ServiceAccountListResponse })
  async list(): Promise<ServiceAccountListResponse> {
    return { items: await this.accounts.list() };
  }

  @ApiOperation({ summary: 'One service account' })
  @Get(':id')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: ServiceAccountResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ServiceAccountResponse> {
    return this.accounts.get(id);
  }

  @ApiOperation({
    summary: 'Rename, change roles (never ADMIN), or disable/enable a service account (its tokens are refused while disabled)',
  })
  @Patch(':id')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: ServiceAccountResponse })
  update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateServiceAccountDto,
  ): Promise<ServiceAccountResponse> {
    return this.accounts.update(actor, id, dto);
  }

  @ApiOperation({ summary: 'Issue a token for the service account (the secret is in this answer only)' })
  @Post(':id/tokens')
  @Allow(Role.ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: CreatedApiTokenResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, or TOKEN_LIFETIME_TOO_LONG: expiresAt beyond API_TOKEN_MAX_DAYS' })
  createToken(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateApiTokenDto,
  ): Promise<CreatedApiTokenResponse> {
    return this.accounts.createToken(actor, id, dto);
  }

  @ApiOperation({ summary: "The service account's tokens (never the secret)" })
  @Get(':id/tokens')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: ApiTokenListResponse })
  async listTokens(@Param('id', ParseUUIDPipe) id: string): Promise<ApiTokenListResponse> {
    return { items: await this.accounts.listTokens(id) };
  }

  @ApiOperation({ summary: "Revoke one of the service account's tokens" })
  @Delete(':id/tokens/:tokenId')
  @HttpCode(204)
  @Allow(Role.ADMIN)
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  revokeToken(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('tokenId', ParseUUIDPipe) tokenId: string,
  ): Promise<void> {
    return this.accounts.revokeToken(actor, id, tokenId);
  }
}
