import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, EnumField, QueryBoolField, StringField } from '@stackgate/platform';
import { ImportsService, UploadedSheet } from './imports.service';

export class ImportRequestDto {
  @StringField({
    max: 40,
    description: 'What the file holds: tools, integrations, contracts, spend-entries, idp-apps (and kinds other modules register)',
  })
  kind: string;

  @QueryBoolField({ description: 'true (the default): validate and report only. false: commit all rows in one transaction, or none' })
  dryRun?: boolean;

  @StringField({
    optional: true,
    max: 80,
    description:
      'The column layout, for kinds that offer several (spend-transactions: generic (default), expensify, ramp, brex, ' +
      'custom:<mapping>; idp-apps: okta, entra, google, detected from the headers when left out)',
  })
  preset?: string;
}

export class ErrorRowsRequestDto {
  @StringField({ max: 40, description: 'What the file holds: tools, integrations, contracts, spend-entries' })
  kind: string;

  @StringField({ optional: true, max: 80, description: "The file's layout, for kinds that take several (see POST /imports)" })
  preset?: string;
}

export class TemplateQueryDto {
  @EnumField(['csv', 'xlsx'], { optional: true, description: 'Default csv' })
  format?: 'csv' | 'xlsx';

  @StringField({
    optional: true,
    max: 80,
    description:
      "The layout's template, for kinds that take several (spend-transactions: generic, expensify, ramp, brex; idp-apps: okta, entra, google)",
  })
  preset?: string;
}

class ImportSummaryResponse {
  @ApiProperty() create: number;
  @ApiProperty() update: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() invalid: number;
}

class ImportErrorResponse {
  @ApiProperty() row: number;
  @ApiProperty({ type: String, nullable: true }) column: string | null;
  @ApiProperty() message: string;
}

class ImportRowResponse {
  @ApiProperty({ description: 'Spreadsheet row number; the header is row 1' }) row: number;
  @ApiProperty({ enum: ['create', 'update', 'unchanged'] }) action: string;
  @ApiProperty() valid: boolean;
  @ApiProperty({ type: ImportErrorResponse, isArray: true }) errors: ImportErrorResponse[];
  @ApiProperty({ type: String, isArray: true }) notes: string[];
}

export class ImportReportResponse {
  @ApiProperty() id: string;
  @ApiProperty() kind: string;
  @ApiProperty() dryRun: boolean;
  @ApiProperty() committed: boolean;
  @ApiProperty({ type: String, nullable: true }) fileName: string | null;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format: string;
  @ApiProperty() totalRows: number;
  @ApiProperty({ type: ImportSummaryResponse }) summary: ImportSummaryResponse;
  @ApiProperty({ type: ImportErrorResponse, isArray: true }) errors: ImportErrorResponse[];
  @ApiProperty({ type: ImportErrorResponse, isArray: true, description: 'Non-blocking notes, e.g. vendors that will be created' })
  notes: unknown[];
  @ApiProperty({ type: ImportRowResponse, isArray: true }) rows: ImportRowResponse[];
  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: true,
    description:
      'What the file as a whole does, for kinds that aggregate rows (idp-apps: per-app figures, matched tools, utilisation months)',
  })
  outcome?: Record<string, unknown>;

  @ApiProperty({
    required: false,
    description: 'The column layout the rows were read with, for kinds that offer several (the preset named, or the one the headers show)',
    example: 'expensify',
  })
  preset?: string;
}

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @ApiOperation({
    summary:
      'Import a CSV or XLSX file (multipart: file, kind, dryRun). Dry run reports every row (create / update / ' +
      'unchanged, errors by row and column) and writes nothing; a commit applies all rows in one transaction or ' +
      'refuses the file (422 IMPORT_INVALID) when any row is invalid. Who may import depends on the kind (tools, ' +
      'integrations: MARKETER, CMO, IT, CIO, ADMIN; idp-apps: IT, CIO, ADMIN, with preset okta, entra or google, and an ' +
      '"outcome" in the report: per-app figures, matched tools and their month of utilisation, unmatched apps). ' +
      'Allocation cells take percent ("MKT:60%; IT:40%", at most two ' +
      'decimals: 33.33% is 3333 basis points) or basis points ("MKT:6000; IT:4000"), one unit per cell, adding up to ' +
      '100%. An "errors" column (what POST /imports/error-rows adds) is ignored. Not .csv/.xlsx: 415. Limits, ' +
      'enforced while the file is parsed (in a process of its own, so no upload can stop the server), each answered with ' +
      'details {limit, max}: file over UPLOAD_LIMIT (default 10 MB): 413 PAYLOAD_TOO_LARGE; XLSX parts read ' +
      '(workbook, styles, shared strings, first sheet) declaring or unpacking to more than IMPORT_MAX_UNPACKED_SIZE ' +
      '(default 100 MB): 413 IMPORT_UNPACKED_TOO_LARGE; more than IMPORT_MAX_ROWS data rows (default 50,000): 422 ' +
      'IMPORT_TOO_MANY_ROWS; a row with more than IMPORT_MAX_COLUMNS columns (default 200): 422 ' +
      'IMPORT_TOO_MANY_COLUMNS; more than IMPORT_MAX_CELLS non-empty cells (default 2,000,000): 422 ' +
      'IMPORT_TOO_MANY_CELLS; more than IMPORT_MAX_SHARED_STRINGS shared strings (default 1,000,000): 422 ' +
      'IMPORT_TOO_MANY_SHARED_STRINGS; a cell over 32,767 characters or a CSV row over 1,048,576: 422 ' +
      'IMPORT_CELL_TOO_LONG / IMPORT_ROW_TOO_LONG; parsing needing more than IMPORT_PARSE_MEMORY_MB (default 256) or ' +
      'IMPORT_PARSE_TIMEOUT_SECONDS (default 60): 413 IMPORT_TOO_COMPLEX / 422 IMPORT_PARSE_TIMEOUT. Unreadable ' +
      'file: 400 INVALID_FILE.',
  })
  @Post()
  @HttpCode(200)
  @Allow(ANY_ROLE)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'kind'],
      properties: {
        file: { type: 'string', format: 'binary' },
        kind: { type: 'string', example: 'tools' },
        dryRun: { type: 'boolean', default: true },
        preset: { type: 'string', example: 'generic' },
      },
    },
  })
  @ApiOkResponse({ type: ImportReportResponse })
  async run(
    @CurrentUser() actor: AuthUser,
    @UploadedFile() file: UploadedSheet | undefined,
    @Body() dto: ImportRequestDto,
    @Res() res: Response,
  ): Promise<void> {
    const options = dto.preset === undefined ? {} : { preset: dto.preset };
    await this.imports.sendReport(res, await this.imports.run(actor, dto.kind, file, dto.dryRun ?? true, options));
  }

  @ApiOperation({
    summary:
      'The invalid rows of a file, to fix and import again (multipart: file, kind; checked like a dry run, writing ' +
      'nothing): a CSV with the file\'s own columns and cells, then an "errors" column ("column: problem; …"). Cells ' +
      'that start with = + - @ are written with a leading apostrophe (CSV injection), which the import removes ' +
      'again, and the import ignores the "errors" column, so the fixed file goes back as it is. Same refusals as ' +
      'POST /imports.',
  })
  @Post('error-rows')
  @HttpCode(200)
  @Allow(ANY_ROLE)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'kind'],
      properties: { file: { type: 'string', format: 'binary' }, kind: { type: 'string', example: 'tools' }, preset: { type: 'string' } },
    },
  })
  @ApiProduces('text/csv')
  async errorRows(
    @CurrentUser() actor: AuthUser,
    @UploadedFile() file: UploadedSheet | undefined,
    @Body() dto: ErrorRowsRequestDto,
    @Res() res: Response,
  ): Promise<void> {
    this.imports.sendFile(res, await this.imports.errorRows(actor, dto.kind, file, dto.preset === undefined ? {} : { preset: dto.preset }));
  }

  @ApiOperation({
    summary:
      'Download the import template of a kind as CSV or XLSX: the header row, then example rows that name your own ' +
      'tools, subcategories and cost centers and that a dry run accepts as they are (allocations written in percent, ' +
      'e.g. "MKT:60%; IT:40%"). Replace or delete the example rows before committing. An example that could not pass ' +
      '(no tool exists yet, say) is left out.',
  })
  @Get('templates/:kind')
  @Allow(ANY_ROLE)
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async template(
    @CurrentUser() actor: AuthUser,
    @Param('kind') kind: string,
    @Query() query: TemplateQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    await this.imports.sendTemplate(kind, query.format ?? 'csv', res, actor, query.preset);
  }
}
