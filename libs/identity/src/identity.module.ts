import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { LoginThrottle } from './auth/login-throttle.entity';
import { LoginThrottleService } from './auth/login-throttle.service';
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

@Module({
  imports: [TypeOrmModule.forFeature([User, UserRole, LoginThrottle, UserIdentity])],
  controllers: [AuthController, SsoController, UsersController],
  providers: [
    AuthService,
    TokenService,
    LoginThrottleService,
    UsersRepository,
    UsersService,
    BootstrapAdminService,
    PeopleDirectory,
    OidcClient,
    SsoService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, SsoService, OidcClient, TokenService, UsersService, UsersRepository, BootstrapAdminService, PeopleDirectory],
})
export class IdentityModule {}
