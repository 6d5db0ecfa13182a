import { Module } from '@nestjs/common';
import { ApiToken, ServiceAccount } from './api-tokens/api-token.entity';
import { ApiTokensController, ServiceAccountsController } from './api-tokens/api-tokens.controller';
import { ApiTokensService } from './api-tokens/api-tokens.service';
import { ServiceAccountsService } from './api-tokens/service-accounts.service';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { LoginThrottle } from './auth/login-throttle.entity';
import { LoginThrottleService } from './auth/login-throttle.service';
import { BearerTokenThrottle } from './auth/bearer-throttle.service';
import { TokenService } from './auth/token.service';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { User, UserRole } from './users/user.entity';
import { UsersController } from './users/users.controller';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';
import { PeopleDirectory } from './users/people-directory';
import { OidcClient } from './sso/oidc-client';
import { SsoController } from './sso/sso.controller';
import { SsoService } from './sso/sso.service';
import { UserIdentity } from './sso/user-identity.entity';
import { ScimGroup, ScimGroupMember, ScimToken, ScimUser } from './scim/scim.entities';
import { ScimTokensController } from './scim/scim-tokens.controller';
import { ScimTokensService } from './scim/scim-tokens.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      User,
      UserRole,
      LoginThrottle,
      UserIdentity,
      ApiToken,
      ServiceAccount,
      ScimToken,
      ScimUser,
      ScimGroup,
      ScimGroupMember,
    ]),
  ],
  controllers: [AuthController, SsoController, UsersController, ApiTokensController, ServiceAccountsController, ScimTokensController],
  providers: [
    AuthService,
    TokenService,
    LoginThrottleService,
    BearerTokenThrottle,
    UsersRepository,
    UsersService,
    BootstrapAdminService,
    PeopleDirectory,
    OidcClient,
    SsoService,
    ApiTokensService,
    ServiceAccountsService,
    ScimTokensService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [
    AuthService,
    SsoService,
    OidcClient,
    TokenService,
    UsersService,
    UsersRepository,
    BootstrapAdminService,
    PeopleDirectory,
    ApiTokensService,
    ServiceAccountsService,
    BearerTokenThrottle,
    ScimTokensService,
  ],
})
export class IdentityModule {}
