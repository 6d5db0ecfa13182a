import { Body, Controller, Get, Param, Post, Query, Res, UploadedFile, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ImportRegistry, ImportsService, KEPT_UPLOAD_MINUTES, UploadedSheet } from '@stackgate/catalog';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, DomainError } from '@stackgate/platform';
import { PageContext } from '../page-context';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

// The check's upload: one file of at most 10 MB. The commit and the error rows name the checked file
// by the token the check answered with (kept server-side: ImportUploads), never by the file again.
const MULTIPART_LIMITS = { limits: { fileSize: 10 * 1024 * 1024, files: 1 } };
/** A text field of the multipart form; anything else (a repeated field, nothing) is the fallback. */
const formText = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);

/** Upload → dry-run table of row errors → commit, through the same import service as the API. */
@ApiExcludeController()
@Controller('import')
@UseGuards(WebGuard)
export class ImportPages {
  constructor(
    private readonly imports: ImportsService,
    private readonly registry: ImportRegistry,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
  ) {}

  private async show(user: AuthUser, res: Response, status: number, extra: Record<string, unknown>) {
    const ctx = await this.page.build(user, res, 'Import', 'import', { kinds: this.registry.kinds(), ...extra });
    res.status(status).type('html').send(this.views.render('import', ctx));
  }

  @Get()
  @Allow(ANY_ROLE)
  form(@CurrentUser() user: AuthUser, @Res() res: Response, @Query('kind') kind?: string) {
    return this.show(user, res, 200, { kind: kind ?? 'tools' });
  }

  @Get('template/:kind')
  @Allow(ANY_ROLE)
  async template(
    @CurrentUser() user: AuthUser,
    @Param('kind') kind: string,
    @Query('format') format: string | undefined,
    @Res() res: Response,
  ) {
    await this.imports.sendTemplate(kind, format === 'xlsx' ? 'xlsx' : 'csv', res, user);
  }

  @Post()
  @Allow(ANY_ROLE)
  @UseInterceptors(FileInterceptor('file', MULTIPART_LIMITS))
  async dryRun(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @UploadedFile() file: UploadedSheet | undefined,
    @Body() body: Record<string, unknown>,
  ) {
    const kind = formText(body.kind, '');
    try {
      const { report, token } = await this.imports.check(user, kind, file);
      return this.show(user, res, 200, this.checked(kind, report, token));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.show(user, res, err.status, { kind, error: err.message });
    }
  }

  /** The check's result: the commit form when every row is valid, the error rows' download when some are not (both by the kept file's token). */
  private checked(kind: string, report: ImportReportLike, upload: string) {
    const invalidRows = report.rows.filter((r) => !r.valid);
    return { kind, report, invalidRows, upload, keptMinutes: KEPT_UPLOAD_MINUTES, commit: invalidRows.length === 0 };
  }

  @Post('commit')
  @Allow(ANY_ROLE)
  async commit(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const kind = formText(body.kind, '');
    const upload = formText(body.upload, '');
    try {
      const report = await this.imports.commitKept(user, kind, upload);
      return this.show(user, res, 200, { kind, report, committed: true });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const details = err.details as ImportReportLike | undefined;
      // The rows turned invalid since the check (the data moved): the kept file's error rows can still be downloaded.
      if (details?.rows) return this.show(user, res, err.status, { ...this.checked(kind, details, upload), error: err.message });
      return this.show(user, res, err.status, { kind, error: err.message });
    }
  }

  /** The checked file's invalid rows as CSV (its columns + "errors"), to fix and upload again. */
  @Post('error-rows')
  @Allow(ANY_ROLE)
  async errorRows(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const kind = formText(body.kind, '');
    try {
      this.imports.sendFile(res, await this.imports.keptErrorRows(user, kind, formText(body.upload, '')));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.show(user, res, err.status, { kind, error: err.message });
    }
  }
}

/** What the page reads of an import report. */
interface ImportReportLike {
  rows: { valid: boolean }[];
}
