import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ATTESTATION_ROLES, CreateVendorDto, UpdateVendorDto, VendorQueryDto, VendorsService } from '@stackgate/catalog';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, DomainError, hasRole, Role } from '@stackgate/platform';
import { cleanForm, FieldErrors, formErrorSummary, safeNext, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';
import { FlashMessages } from '../session/flash';
import { SubmitOnce } from '../session/submit-once';
import { readerRefusal, refusalErrors } from './refusals';

function vendorFieldErrors(err: DomainError): FieldErrors {
  const fe = refusalErrors(err, { VENDOR_NAME_TAKEN: 'name', ATTESTATION_FIELDS_FORBIDDEN: 'soc2' });
  return fe.soc2 ? { soc2: vendorRefusal(err) } : fe;
}

/** A refusal in the vendor form's words: the attestation rule names who may record them, not field codes. */
function vendorRefusal(err: DomainError): string {
  return err.code === 'ATTESTATION_FIELDS_FORBIDDEN'
    ? 'Only IT, the CIO or an administrator may record security attestations (SOC 2, ISO 27001, DPA).'
    : readerRefusal(err);
}

/** Who may register and edit vendors (the API's POST/PATCH /vendors). */
const VENDOR_WRITERS = [Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.ADMIN];
const MARKED = ['name', 'website', 'notes', 'soc2', 'iso27001', 'dpaSigned'];
const ATTESTATIONS = ['soc2', 'iso27001', 'dpaSigned'];

type FormBody = Record<string, unknown>;

/** The vendor form as the API's body: the attestation checkboxes are read for the roles that may set them (SPEC §1). */
function vendorFormToBody(body: FormBody, attest: boolean, editing: boolean): FormBody {
  const plain = cleanForm(body, { booleans: attest ? ATTESTATIONS : [], ints: ['version'] });
  // Other roles' form shows them disabled (not sent); one sent anyway goes to the service, which refuses it like the API does.
  if (!attest) for (const field of ATTESTATIONS) if (field in plain) plain[field] = plain[field] === 'on' || plain[field] === 'true';
  for (const field of ['website', 'notes'])
    if (typeof body[field] === 'string' && body[field].trim() === '') plain[field] = editing ? null : undefined;
  if (typeof plain.name === 'string') plain.name = plain.name.trim();
  if (typeof plain.website === 'string') plain.website = plain.website.trim();
  delete plain.next;
  return plain;
}

/**
 * Where to go after saving: back to the form that sent the user here (the tool form's "Missing
 * vendor?"), with the new vendor chosen; else the vendor list.
 */
export function vendorReturn(next: unknown, vendorId: string): string {
  const path = safeNext(next);
  if (path === '/') return '/vendors';
  const [base, query = ''] = path.split('?');
  const params = new URLSearchParams(query);
  params.set('vendorId', vendorId);
  return `${base}?${params.toString()}`;
}

@ApiExcludeController()
@Controller('vendors')
@UseGuards(WebGuard)
export class VendorsPages {
  constructor(
    private readonly vendors: VendorsService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
  ) {}

  @Get()
  @Allow(ANY_ROLE)
  async list(@CurrentUser() user: AuthUser, @Res() res: Response, @Query() query: Record<string, unknown>) {
    const { dto } = await validateForm(VendorQueryDto, cleanForm({ search: query.search }));
    const result = await this.vendors.list({ ...(dto ?? {}), sort: 'name', page: 1, pageSize: 200 });
    res.type('html').send(
      this.views.render(
        'vendors',
        await this.page.build(user, res, 'Vendors', 'catalog', {
          items: result.items,
          total: result.total,
          q: query,
          canWrite: hasRole(user, ...VENDOR_WRITERS),
        }),
      ),
    );
  }

  private formCtx(user: AuthUser, res: Response, title: string, extra: Record<string, unknown>) {
    return this.page.build(user, res, title, 'catalog', { attest: hasRole(user, ...ATTESTATION_ROLES), ...extra });
  }

  @Get('new')
  @Allow(...VENDOR_WRITERS)
  async newForm(@CurrentUser() user: AuthUser, @Res() res: Response, @Query('next') next?: string) {
    res.type('html').send(
      this.views.render(
        'vendor-form',
        await this.formCtx(user, res, 'Register a vendor', {
          form: { name: '' },
          errors: {},
          action: '/vendors',
          next: next ? safeNext(next) : '',
        }),
      ),
    );
  }

  @Post()
  @Allow(...VENDOR_WRITERS)
  @SubmitOnce('vendor.create')
  async create(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: FormBody) {
    const { dto, errors } = await validateForm(CreateVendorDto, vendorFormToBody(body, hasRole(user, ...ATTESTATION_ROLES), false));
    let refusal: DomainError | undefined;
    if (dto) {
      try {
        const vendor = await this.vendors.create(user, dto);
        return this.flash.redirect(res, body.next ? vendorReturn(body.next, vendor.id) : '/vendors', {
          notice: `Vendor ${vendor.name} registered`,
        });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        refusal = err;
      }
    }
    const fe = refusal ? vendorFieldErrors(refusal) : errors;
    res
      .status(refusal ? refusal.status : 400)
      .type('html')
      .send(
        this.views.render(
          'vendor-form',
          await this.formCtx(user, res, 'Register a vendor', {
            form: body,
            errors: fe,
            error: refusal ? vendorRefusal(refusal) : formErrorSummary(fe, MARKED),
            action: '/vendors',
            next: body.next ? safeNext(body.next) : '',
          }),
        ),
      );
  }

  @Get(':id/edit')
  @Allow(...VENDOR_WRITERS)
  async editForm(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('next') next?: string,
  ) {
    const vendor = await this.vendors.get(id);
    res.type('html').send(
      this.views.render(
        'vendor-form',
        await this.formCtx(user, res, `Edit ${vendor.name}`, {
          form: vendor,
          errors: {},
          action: `/vendors/${id}`,
          editing: true,
          next: next ? safeNext(next) : '',
        }),
      ),
    );
  }

  @Post(':id')
  @Allow(...VENDOR_WRITERS)
  async update(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: FormBody) {
    const { dto, errors } = await validateForm(UpdateVendorDto, vendorFormToBody(body, hasRole(user, ...ATTESTATION_ROLES), true));
    let refusal: DomainError | undefined;
    if (dto) {
      try {
        const vendor = await this.vendors.update(user, id, dto);
        return this.flash.redirect(res, body.next ? vendorReturn(body.next, vendor.id) : '/vendors', {
          notice: `Vendor ${vendor.name} saved`,
        });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        refusal = err;
      }
    }
    const fe = refusal ? vendorFieldErrors(refusal) : errors;
    res
      .status(refusal ? refusal.status : 400)
      .type('html')
      .send(
        this.views.render(
          'vendor-form',
          await this.formCtx(user, res, 'Edit vendor', {
            form: body,
            errors: fe,
            error: refusal ? vendorRefusal(refusal) : formErrorSummary(fe, MARKED),
            action: `/vendors/${id}`,
            editing: true,
            next: body.next ? safeNext(body.next) : '',
          }),
        ),
      );
  }
}
