import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ANY_ROLE } from '@stackgate/platform';
import { StackMapQueryDto, StackMapResponse } from './stack-map.dto';
import { StackMapService } from './stack-map.service';

@ApiTags('stack-map')
@Controller('stack-map')
export class StackMapController {
  constructor(private readonly stackMap: StackMapService) {}

  @ApiOperation({
    summary:
      'The stack as a graph: tools (category, subcategory, lifecycle, IT approval, shadow-IT, system-of-record and silo flags) ' +
      'and integrations (method, status, personal data). Retired ones only with includeRetired=true',
  })
  @Get()
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: StackMapResponse })
  async get(@Query() query: StackMapQueryDto, @Res() res: Response): Promise<void> {
    await this.stackMap.respond(query.includeRetired ?? false, res);
  }
}
