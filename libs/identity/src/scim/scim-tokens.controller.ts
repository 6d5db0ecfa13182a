import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AuthUser, CurrentUser, Role } from '@stackgate/platform';
import { CreatedScimTokenResponse, CreateScimTokenDto, ScimTokenListResponse } from './scim-token.dto';
import { ScimTokensService } from './scim-tokens.service';

@ApiTags('SCIM')
@Controller('scim-tokens')
export class ScimTokensController {
  constructor(private readonly tokens: ScimTokensService) {}

  @ApiOperation({
    summary: 'Create a SCIM token for an identity provider (the secret is in this answer only)',
    description:
      'The token (`sgscim_…`) is accepted on /scim/v2 only, and nothing else is accepted there. SCIM acts on behalf of the ' +
      'administrator who created the token: it never changes their own roles or account, and the token stops working when ' +
      'they are deactivated or lose ADMIN.',
  })
  @Post()
  @Allow(Role.ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: CreatedScimTokenResponse })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateScimTokenDto): Promise<CreatedScimTokenResponse> {
    return this.tokens.create(actor, dto);
  }

  @ApiOperation({ summary: 'SCIM tokens with last use, expiry and revocation (never the secret), and the SCIM base URL' })
  @Get()
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: ScimTokenListResponse })
  async list(): Promise<ScimTokenListResponse> {
    return { items: await this.tokens.list(), baseUrl: this.tokens.baseUrl };
  }

  @ApiOperation({ summary: 'Revoke a SCIM token (effective at once)' })
  @Delete(':id')
  @HttpCode(204)
  @Allow(Role.ADMIN)
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  revoke(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.tokens.revoke(actor, id);
  }
}
