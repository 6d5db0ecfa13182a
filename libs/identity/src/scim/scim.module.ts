import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity.module';
import { ScimController } from './scim.controller';
import { ScimGroupsService } from './scim-groups.service';
import { ScimGuard } from './scim.guard';
import { ScimRules } from './scim-roles';
import { ScimUsersService } from './scim-users.service';

/**
 * The SCIM 2.0 service provider at /scim/v2. Imported by the app outside the /api/v1 router; the SCIM
 * tokens themselves are managed under /api/v1/scim-tokens (IdentityModule).
 */
@Module({
  imports: [IdentityModule],
  controllers: [ScimController],
  providers: [ScimGuard, ScimRules, ScimUsersService, ScimGroupsService],
})
export class ScimModule {}
