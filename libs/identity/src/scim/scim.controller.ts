import {
  All,
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExcludeEndpoint, ApiOperation, ApiResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@stackgate/platform';
import { ScimException, ScimExceptionFilter, SCIM_CONTENT_TYPE, scimNotFound } from './scim-errors';
import { ScimGroupsService } from './scim-groups.service';
import { pagingOf, projection, requireSchema, ScimResourceBase } from './scim-resources';
import { GROUP_SCHEMA, resourceTypeDocuments, schemaDocuments, serviceProviderConfig, USER_SCHEMA } from './scim-schemas';
import { ScimGuard, ScimRequest } from './scim.guard';
import { ScimTokensService } from './scim-tokens.service';
import { ScimUsersService } from './scim-users.service';

type Query = Record<string, unknown>;
const SCIM_BODY = { schema: { type: 'object', additionalProperties: true } };
const ERRORS = 'Errors answer SCIM’s error schema (schemas, status, scimType, detail): 400, 401, 403, 404, 409, 412, 413.';

/** Answers a SCIM resource with its content type, ETag and (on 201) Location. */
function send(res: Response, resource: ScimResourceBase | Record<string, unknown>, status = 200): Record<string, unknown> {
  res.status(status).type(SCIM_CONTENT_TYPE);
  const meta = (resource as ScimResourceBase).meta;
  if (meta?.version) res.setHeader('ETag', meta.version);
  if (status === 201 && meta?.location) res.setHeader('Location', meta.location);
  return resource;
}

const idOf = (resource: string, id: string): string => {
  if (id.length > 64) throw scimNotFound(resource, id.slice(0, 64));
  return id;
};

/**
 * SCIM 2.0 (RFC 7643/7644) for identity providers (Okta, Microsoft Entra ID): Users, Groups and the
 * discovery documents, served at /scim/v2 outside /api/v1. Only a SCIM token opens it (ScimGuard;
 * @Public() lets the API guard, which knows sessions and API tokens only, step aside).
 */
@ApiTags('SCIM')
@ApiBearerAuth('scim')
@ApiUnauthorizedResponse({ description: 'No SCIM token, or a revoked, expired or unknown one (SCIM error schema)' })
@Controller('scim/v2')
@Public()
@UseGuards(ScimGuard)
@UseFilters(ScimExceptionFilter)
export class ScimController {
  constructor(
    private readonly tokens: ScimTokensService,
    private readonly users: ScimUsersService,
    private readonly groups: ScimGroupsService,
  ) {}

  private base(): string {
    return this.tokens.baseUrl;
  }

  @ApiOperation({
    summary: 'SCIM: what this service provider supports (patch, filter with maxResults, etag; no bulk, sort or password change)',
  })
  @Get('ServiceProviderConfig')
  serviceProviderConfig(@Res({ passthrough: true }) res: Response) {
    return send(res, serviceProviderConfig(this.base()));
  }

  @ApiOperation({ summary: 'SCIM: the resource types (User, Group)' })
  @Get('ResourceTypes')
  resourceTypes(@Res({ passthrough: true }) res: Response) {
    const all = resourceTypeDocuments(this.base());
    return send(res, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: all.length,
      startIndex: 1,
      itemsPerPage: all.length,
      Resources: all,
    });
  }

  @ApiOperation({ summary: 'SCIM: one resource type' })
  @Get('ResourceTypes/:id')
  resourceType(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const found = resourceTypeDocuments(this.base()).find((type) => type.id === id);
    if (!found) throw scimNotFound('ResourceType', idOf('ResourceType', id));
    return send(res, found);
  }

  @ApiOperation({ summary: 'SCIM: the schemas (User, Group) with their attributes' })
  @Get('Schemas')
  schemas(@Res({ passthrough: true }) res: Response) {
    const all = schemaDocuments(this.base());
    return send(res, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: all.length,
      startIndex: 1,
      itemsPerPage: all.length,
      Resources: all,
    });
  }

  @ApiOperation({ summary: 'SCIM: one schema' })
  @Get('Schemas/:id')
  schema(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const found = schemaDocuments(this.base()).find((schema) => schema.id === id);
    if (!found) throw scimNotFound('Schema', idOf('Schema', id));
    return send(res, found);
  }

  @ApiOperation({
    summary: 'SCIM: list users',
    description:
      'filter (userName, externalId, emails.value, displayName, active, id, meta.*; eq ne co sw ew gt ge lt le pr; and or not), ' +
      `startIndex, count (at most 200), attributes, excludedAttributes. ${ERRORS}`,
  })
  @Get('Users')
  async listUsers(@Req() req: ScimRequest, @Res({ passthrough: true }) res: Response) {
    const query = req.query as Query;
    const view = projection(query);
    const page = await this.users.list(this.base(), filterOf(query), pagingOf(query));
    return send(res, { ...page, Resources: page.Resources.map((user) => view.apply(user)) });
  }

  @ApiOperation({ summary: 'SCIM: one user', description: ERRORS })
  @Get('Users/:id')
  async getUser(@Req() req: ScimRequest, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return send(res, projection(req.query as Query).apply(await this.users.get(this.base(), idOf('User', id))));
  }

  @ApiOperation({
    summary: 'SCIM: create (provision) a user',
    description: `userName is the e-mail (409 uniqueness when taken); no password: the user signs in with single sign-on. ${ERRORS}`,
  })
  @ApiBody(SCIM_BODY)
  @ApiResponse({ status: 201, description: 'The user' })
  @Post('Users')
  async createUser(@Req() req: ScimRequest, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    return send(res, await this.users.create(req.scim!, this.base(), requireSchema(body, USER_SCHEMA)), 201);
  }

  @ApiOperation({ summary: 'SCIM: replace a user (active false deactivates: sessions and tokens end at once)', description: ERRORS })
  @ApiBody(SCIM_BODY)
  @Put('Users/:id')
  async replaceUser(
    @Req() req: ScimRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return send(res, await this.users.replace(req.scim!, this.base(), idOf('User', id), requireSchema(body, USER_SCHEMA), ifMatch));
  }

  @ApiOperation({ summary: 'SCIM: patch a user (add, remove, replace; Entra ID\'s "Replace" and "False" too)', description: ERRORS })
  @ApiBody(SCIM_BODY)
  @Patch('Users/:id')
  async patchUser(
    @Req() req: ScimRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return send(res, await this.users.patch(req.scim!, this.base(), idOf('User', id), body, ifMatch));
  }

  @ApiOperation({
    summary: 'SCIM: delete a user = deactivate (sessions and tokens end) and hide from SCIM; the person stays for the audit trail',
    description: ERRORS,
  })
  @Delete('Users/:id')
  @HttpCode(204)
  async deleteUser(@Req() req: ScimRequest, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.users.remove(req.scim!, this.base(), idOf('User', id), ifMatch);
  }

  @ApiOperation({
    summary: 'SCIM: list groups',
    description: `filter (displayName, externalId, id, members.value, meta.*), startIndex, count (at most 200), excludedAttributes=members. ${ERRORS}`,
  })
  @Get('Groups')
  async listGroups(@Req() req: ScimRequest, @Res({ passthrough: true }) res: Response) {
    const query = req.query as Query;
    const view = projection(query);
    const page = await this.groups.list(this.base(), filterOf(query), pagingOf(query), view.wants('members'));
    return send(res, { ...page, Resources: page.Resources.map((group) => view.apply(group)) });
  }

  @ApiOperation({ summary: 'SCIM: one group', description: ERRORS })
  @Get('Groups/:id')
  async getGroup(@Req() req: ScimRequest, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const view = projection(req.query);
    return send(res, view.apply(await this.groups.get(this.base(), idOf('Group', id), view.wants('members'))));
  }

  @ApiOperation({ summary: 'SCIM: create a group (a group named in OIDC_ROLE_MAP gives its roles to its members)', description: ERRORS })
  @ApiBody(SCIM_BODY)
  @ApiResponse({ status: 201, description: 'The group' })
  @Post('Groups')
  async createGroup(@Req() req: ScimRequest, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    return send(res, await this.groups.create(req.scim!, this.base(), requireSchema(body, GROUP_SCHEMA)), 201);
  }

  @ApiOperation({ summary: 'SCIM: replace a group (name and members)', description: ERRORS })
  @ApiBody(SCIM_BODY)
  @Put('Groups/:id')
  async replaceGroup(
    @Req() req: ScimRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return send(res, await this.groups.replace(req.scim!, this.base(), idOf('Group', id), requireSchema(body, GROUP_SCHEMA), ifMatch));
  }

  @ApiOperation({ summary: 'SCIM: patch a group (add/remove/replace members, incl. members[value eq "…"]; rename)', description: ERRORS })
  @ApiBody(SCIM_BODY)
  @Patch('Groups/:id')
  async patchGroup(
    @Req() req: ScimRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return send(res, await this.groups.patch(req.scim!, this.base(), idOf('Group', id), body, ifMatch));
  }

  @ApiOperation({ summary: 'SCIM: delete a group (its members lose the roles it gave)', description: ERRORS })
  @Delete('Groups/:id')
  @HttpCode(204)
  async deleteGroup(@Req() req: ScimRequest, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.groups.remove(req.scim!, this.base(), idOf('Group', id), ifMatch);
  }

  /** Anything else under /scim/v2 (Bulk, /Me, .search, unknown resources): SCIM's 404, after the token check. */
  @ApiExcludeEndpoint()
  @All(['', '*path'])
  unknown(@Req() req: ScimRequest): never {
    throw new ScimException(404, `${req.method} ${req.path} is not a SCIM endpoint of Stackgate`);
  }
}

function filterOf(query: Query): string | undefined {
  const filter = query.filter;
  if (filter === undefined || filter === '') return undefined;
  if (typeof filter !== 'string') throw new ScimException(400, 'filter must be given once', 'invalidFilter');
  return filter;
}
