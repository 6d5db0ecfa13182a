import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiFoundResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@stackgate/platform';
import { setSsoStateCookie } from './sso-cookies';
import { SsoService } from './sso.service';

@ApiTags('auth')
@Controller('auth/oidc')
export class SsoController {
  constructor(private readonly sso: SsoService) {}

  @ApiOperation({
    summary: 'Sign in through the identity provider (OpenID Connect); ends with the JSON of POST /auth/login',
    description:
      'Open this URL in a browser: it redirects to the identity provider, which returns to /auth/oidc/callback; ' +
      'the callback answers 200 with {accessToken, expiresIn, user}, like a password sign-in, or the error JSON ' +
      '(401 SSO_FAILED, 403 SSO_NO_MAPPED_GROUP, SSO_NO_ACCOUNT, SSO_EMAIL_UNTRUSTED, SSO_ACCOUNT_INACTIVE, SSO_IDENTITY_CONFLICT).',
  })
  @Get('login')
  @Public()
  @ApiFoundResponse({ description: "Redirect to the identity provider's authorization endpoint" })
  @ApiNotFoundResponse({ description: 'SSO_NOT_CONFIGURED: single sign-on is not configured' })
  @ApiBadGatewayResponse({ description: 'SSO_PROVIDER_UNAVAILABLE: the identity provider cannot be reached' })
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { url, cookie } = await this.sso.start('api', '/');
    setSsoStateCookie(req, res, cookie);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, url);
  }
}
