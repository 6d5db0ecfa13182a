import { Body, Controller, Get, Param, Post, Query, Res, UploadedFile, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ImportRegistry, ImportsService, UploadedSheet } from '@stackgate/catalog';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, DomainError } from '@stackgate/platform';
import { PageContext } from '../page-context';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

// Field size for the commit form, which carries the checked file back (base64) so nothing is stored
// between the dry run and the commit. 14 MB covers a 10 MB upload in base64.
const MULTIPART_LIMITS = { limits: { fileSize: 10 * 1024 * 1024, fieldSize: 14 * 1024 * 1024, files: 1 } };
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
      const report = await this.imports.run(user, kind, file, true);
      return this.show(user, res, 200, {
        kind,
        report,
        invalidRows: report.rows.filter((r) => !r.valid),
        commit:
          report.summary.invalid === 0 && file
            ? { fileData: file.buffer.toString('base64'), fileName: file.originalname ?? 'upload.csv', mimeType: file.mimetype ?? '' }
            : null,
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.show(user, res, err.status, { kind, error: err.message });
    }
  }

  @Post('commit')
  @Allow(ANY_ROLE)
  @UseInterceptors(FileInterceptor('file', MULTIPART_LIMITS))
  async commit(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const kind = formText(body.kind, '');
    const data = typeof body.fileData === 'string' ? body.fileData : '';
    if (!/^[A-Za-z0-9+/=]+$/.test(data))
      return this.show(user, res, 400, { kind, error: 'The checked file did not come back with the form; upload it again.' });
    const file: UploadedSheet = {
      buffer: Buffer.from(data, 'base64'),
      originalname: formText(body.fileName, 'upload.csv'),
      mimetype: formText(body.mimeType, ''),
    };
    try {
      const report = await this.imports.run(user, kind, file, false);
      return this.show(user, res, 200, { kind, report, committed: true });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const details = err.details as { rows?: { valid: boolean }[] } | undefined;
      return this.show(user, res, err.status, {
        kind,
        error: err.message,
        report: details?.rows ? details : undefined,
        invalidRows: details?.rows?.filter((r) => !r.valid),
      });
    }
  }
}
