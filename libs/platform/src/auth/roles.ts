import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOperation, ApiUnauthorizedResponse } from '@nestjs/swagger';

/** The six roles of the permission matrix. A user holds one or more. */
export enum Role {
  MARKETER = 'MARKETER',
  CMO = 'CMO',
  IT = 'IT',
  CIO = 'CIO',
  FINANCE = 'FINANCE',
  ADMIN = 'ADMIN',
}
export const ALL_ROLES: Role[] = Object.values(Role);

export const PUBLIC_KEY = 'stackgate:public';
export const ROLES_KEY = 'stackgate:roles';
/** Marker: any signed-in user, whatever their roles. */
export const ANY_ROLE = 'ANY' as const;

/** An open route (login, health, docs). Everything else needs a valid token. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * Who may call a route. Without it a route is closed to everyone (deny by default). Also writes
 * the OpenAPI security requirement and names the roles in the operation description.
 */
export function Allow(...roles: (Role | typeof ANY_ROLE)[]) {
  const who = roles.includes(ANY_ROLE) ? 'any signed-in user' : roles.join(', ');
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    // summary: undefined keeps a summary set by the route's own @ApiOperation (whichever runs first).
    ApiOperation({ summary: undefined, description: `Allowed: ${who}.` }),
    ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked token' }),
    ApiForbiddenResponse({ description: `Only ${who}` }),
  );
}

/** The API token a request was authenticated with (personal access token or service-account token). */
export interface AuthToken {
  id: string;
  kind: 'PERSONAL' | 'SERVICE';
  name: string;
  /** The person or service account whose current roles the token acts with. */
  principalId: string;
  scopes: string[];
}

/** The authenticated user (or service account) as set by the global guard. */
export interface AuthUser {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  /** Set when the caller presented an API token rather than a session. */
  token?: AuthToken;
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});

export const hasRole = (user: { roles: readonly string[] }, ...roles: Role[]) => roles.some((r) => user.roles.includes(r));
