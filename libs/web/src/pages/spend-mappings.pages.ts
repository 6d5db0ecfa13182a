import { Body, Controller, Get, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  DATE_ORDER_WORDS,
  DATE_ORDERS,
  GENERIC_COLUMNS,
  SaveSpendMappingDto,
  SPEND_COLUMNS,
  SPEND_MAPPERS,
  SpendColumn,
  SpendMappingsService,
} from '@stackgate/discovery';
import { Allow, AuthUser, CurrentUser, DomainError, isDomainError } from '@stackgate/platform';
import { cleanForm, FieldErrors, formErrorSummary, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { FlashMessages } from '../session/flash';
import { SubmitOnce } from '../session/submit-once';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

const PAGE = '/import/spend-mappings';

/** The generic columns in a reader's words (the fields a saved mapping fills from the export's columns), and a header an export might use. */
const FIELD_WORDS: Record<SpendColumn, string> = {
  date: 'Date',
  merchant: 'Merchant or payee',
  amount: 'Amount',
  currency: 'Currency',
  employee: 'Who paid',
  costCenter: 'Cost center or department',
  memo: 'Memo',
  reference: 'Transaction id',
};
const EXAMPLE_HEADERS: Record<SpendColumn, string> = {
  date: 'Posting Date',
  merchant: 'Description',
  amount: 'Amount',
  currency: 'Currency',
  employee: 'Card Member',
  costCenter: 'Department',
  memo: 'Notes',
  reference: 'Reference',
};

type Extra = { errors?: FieldErrors; form?: Record<string, unknown>; error?: string };

/**
 * Saved custom mappings of card and expense exports (preset "custom:<name>" of the spend-transactions import), for
 * finance, IT and the CIO: list, create, delete, through the same service as /api/v1/discovery/spend-mappings (its
 * validation and audit). The import page's card and expense section links here and lists the mappings in its selector.
 */
@ApiExcludeController()
@Controller('import/spend-mappings')
@UseGuards(WebGuard)
export class SpendMappingPages {
  constructor(
    private readonly mappings: SpendMappingsService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
  ) {}

  private async show(user: AuthUser, res: Response, status: number, extra: Extra) {
    const form = extra.form ?? {};
    const errors = extra.errors ?? {};
    const saved = await this.mappings.list();
    const fields = SPEND_COLUMNS.map((column) => {
      return {
        name: column,
        label: FIELD_WORDS[column],
        example: `e.g. ${EXAMPLE_HEADERS[column]}`,
        required: GENERIC_COLUMNS.find((c) => c.name === column)?.required === true,
        value: form[column],
        error: errors[column],
      };
    });
    const ctx = await this.page.build(user, res, 'Saved mappings of card and expense exports', 'import', {
      items: saved.map((mapping) => ({
        ...mapping,
        columns: SPEND_COLUMNS.filter((c) => mapping.headers[c]).map((c) => ({ field: FIELD_WORDS[c], header: mapping.headers[c] })),
        deleteHref: `${PAGE}/${encodeURIComponent(mapping.name)}/delete`,
        dates: DATE_ORDER_WORDS[mapping.dateOrder as keyof typeof DATE_ORDER_WORDS] ?? mapping.dateOrder,
      })),
      fields,
      dateOrders: DATE_ORDERS.map((order) => ({ value: order, label: DATE_ORDER_WORDS[order], on: (form.dateOrder ?? 'ISO') === order })),
      form,
      errors,
      error: extra.error ?? formErrorSummary(errors, ['name', 'dateOrder', ...SPEND_COLUMNS]),
    });
    res.status(status).type('html').send(this.views.render('spend-mappings', ctx));
  }

  @Get()
  @Allow(...SPEND_MAPPERS)
  list(@CurrentUser() user: AuthUser, @Res() res: Response) {
    return this.show(user, res, 200, {});
  }

  @Post()
  @Allow(...SPEND_MAPPERS)
  @SubmitOnce('spend-mapping.create')
  async create(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const { name, ...rest } = cleanForm(body);
    const form = { name, ...rest };
    const { dto, errors } = await validateForm(SaveSpendMappingDto, rest);
    const typedName = typeof name === 'string' ? name.trim() : '';
    if (!typedName) errors.name = 'Fill this in';
    if (!dto || errors.name) return this.show(user, res, 400, { errors, form });
    try {
      const saved = await this.mappings.save(user, typedName, dto, { onlyNew: true });
      this.flash.redirect(res, PAGE, {
        notice: `Mapping "${saved.name}" saved: choose "${saved.preset}" as the layout when you import a card or expense export.`,
      });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return this.show(user, res, err.status, { errors: refusedFields(err, dto), form });
    }
  }

  @Post(':name/delete')
  @Allow(...SPEND_MAPPERS)
  async remove(@Res() res: Response, @Param('name') name: string) {
    try {
      await this.mappings.remove(name);
      this.flash.redirect(res, PAGE, { notice: `Mapping "${name}" deleted. Files already imported with it keep their lines.` });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      this.flash.redirect(res, PAGE, {
        error: err.status === 404 ? `There is no saved mapping named "${name}" (deleted meanwhile?).` : err.message,
      });
    }
  }
}

/** The service's refusals next to the field they concern, in a reader's words. */
function refusedFields(err: DomainError<string>, dto: SaveSpendMappingDto): FieldErrors {
  if (err.code === 'SPEND_MAPPING_EXISTS')
    return { name: 'A saved mapping already has this name: choose another, or delete that one first' };
  const fields = Array.isArray(err.details) ? (err.details as { field?: string }[]).map((d) => d.field) : [];
  if (fields.includes('name'))
    return { name: 'Use 1 to 60 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit' };
  // A header named for two fields: marked on each field that names it.
  const repeated = SPEND_COLUMNS.filter((column) => {
    const header = dto[column]?.trim().toLowerCase();
    return header && fields.some((field) => field?.toLowerCase() === header);
  });
  if (repeated.length)
    return Object.fromEntries(repeated.map((column) => [column, 'Another field names this column too: each field needs its own']));
  return { name: err.message };
}
