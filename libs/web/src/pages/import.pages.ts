import { Body, Controller, Get, Param, Post, Query, Res, UploadedFile, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ImportRegistry, ImportsService, KEPT_UPLOAD_MINUTES, UploadedSheet } from '@stackgate/catalog';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, isDomainError } from '@stackgate/platform';
import { PageContext } from '../page-context';
import { ImportPresetChoices } from './import-presets';
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
    private readonly presets: ImportPresetChoices,
  ) {}

  /**
   * The page: the form of the kinds with one layout, a section per kind with presets the user may import (its preset
   * selector and the headers each preset expects), and the result of a check or commit (`extra`).
   */
  private async show(user: AuthUser, res: Response, status: number, extra: Record<string, unknown> & { kind?: string; preset?: string }) {
    const sections = await this.presets.sections(user, extra.kind, extra.preset);
    const plainKinds = this.registry.kinds().filter((kind) => !this.presets.hasPresets(kind));
    const report = extra.report as { preset?: string } | undefined;
    const readAs = report?.preset ? this.presets.labelOf(sections, extra.kind, report.preset) : undefined;
    const ctx = await this.page.build(user, res, 'Import', 'import', { kinds: plainKinds, sections, readAs, ...extra });
    res.status(status).type('html').send(this.views.render('import', ctx));
  }

  @Get()
  @Allow(ANY_ROLE)
  form(@CurrentUser() user: AuthUser, @Res() res: Response, @Query('kind') kind?: string, @Query('preset') preset?: string) {
    return this.show(user, res, 200, { kind: kind ?? 'tools', preset: typeof preset === 'string' ? preset : undefined });
  }

  @Get('template/:kind')
  @Allow(ANY_ROLE)
  async template(
    @CurrentUser() user: AuthUser,
    @Param('kind') kind: string,
    @Query('format') format: string | undefined,
    @Query('preset') preset: unknown,
    @Res() res: Response,
  ) {
    try {
      await this.imports.sendTemplate(kind, format === 'xlsx' ? 'xlsx' : 'csv', res, user, typeof preset === 'string' ? preset : undefined);
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return this.show(user, res, err.status, { kind, error: this.presets.wordError(err, kind) });
    }
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
    // '' is the selector's default: the kind's default preset, or the one the headers show
    const named = formText(body.preset, '') || undefined;
    let preset = named;
    try {
      preset = await this.presets.assertOffered(user, kind, named);
      const { report, token } = await this.imports.check(user, kind, file, preset === undefined ? {} : { preset });
      return this.show(user, res, 200, { ...this.checked(kind, report, token), preset: report.preset ?? preset });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return this.show(user, res, err.status, { kind, preset, error: this.presets.wordError(err, kind) });
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
      if (!isDomainError(err)) throw err;
      const details = err.details as ImportReportLike | undefined;
      // The rows turned invalid since the check (the data moved): the kept file's error rows can still be downloaded.
      if (details?.rows) return this.show(user, res, err.status, { ...this.checked(kind, details, upload), error: err.message });
      return this.show(user, res, err.status, { kind, error: this.presets.wordError(err, kind, true) });
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
      if (!isDomainError(err)) throw err;
      return this.show(user, res, err.status, { kind, error: this.presets.wordError(err, kind, true) });
    }
  }
}

/** What the page reads of an import report. */
interface ImportReportLike {
  rows: { valid: boolean }[];
  preset?: string;
}
