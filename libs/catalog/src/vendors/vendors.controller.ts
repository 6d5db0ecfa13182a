import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, Role } from '@stackgate/platform';
import { CreateVendorDto, UpdateVendorDto, VendorPageResponse, VendorQueryDto, VendorResponse } from './dto/vendor.dto';
import { VendorsService } from './vendors.service';

@ApiTags('vendors')
@Controller('vendors')
export class VendorsController {
  constructor(private readonly vendors: VendorsService) {}

  @ApiOperation({ summary: 'List vendors (search by name, filter by DPA), sorted and paged' })
  @Get()
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: VendorPageResponse })
  list(@Query() query: VendorQueryDto) {
    return this.vendors.list(query);
  }

  @ApiOperation({ summary: 'One vendor' })
  @Get(':id')
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: VendorResponse })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.vendors.get(id);
  }

  @ApiOperation({
    summary:
      'Create a vendor; names are unique regardless of case. Security attestations (soc2, iso27001, dpaSigned) only by IT, CIO, ADMIN: 403 otherwise',
  })
  @Post()
  @Allow(Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.ADMIN)
  @ApiCreatedResponse({ type: VendorResponse })
  @ApiConflictResponse({ description: 'VENDOR_NAME_TAKEN' })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateVendorDto) {
    return this.vendors.create(actor, dto);
  }

  @ApiOperation({
    summary:
      'Edit a vendor (send the version you read). Security attestations (soc2, iso27001, dpaSigned) only by IT, CIO, ADMIN: 403 otherwise',
  })
  @Patch(':id')
  @Allow(Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.ADMIN)
  @ApiOkResponse({ type: VendorResponse })
  @ApiConflictResponse({ description: 'STALE_VERSION, VENDOR_NAME_TAKEN' })
  update(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateVendorDto) {
    return this.vendors.update(actor, id, dto);
  }
}
