import { Body, Controller, Delete, Get, HttpCode, Inject, Injectable, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import {
  Allow,
  APP_CONFIG,
  AppConfig,
  CurrencyField,
  IntField,
  isUniqueViolation,
  MonthField,
  notFound,
  Page,
  PageQueryDto,
  pageParams,
  Role,
  staleVersion,
  StringField,
  updateVersioned,
  uuidv7,
  withTransaction,
} from '@stackgate/platform';
import { FINANCE_READERS } from '../finance.roles';
import { parseVersionQuery } from '../version-query';
import { FxRate } from './fx-rate.entity';
import { LedgerService } from '../ledger/ledger.service';
import { LedgerEntry } from '../ledger/ledger-entry.entity';
import { monthFromString, monthToString } from '../contracts/contract-terms';
import { bumpLedgerGenerations } from '../ledger/ledger-generations';
import { FinanceError, FinanceErrorCode } from '../finance.errors';

const RATE = /^(?=.*[1-9])\d{1,12}(\.\d{1,10})?$/;
const RATE_RULE = {
  max: 23,
  pattern: RATE,
  patternMessage: 'rate must be a positive decimal string with up to 10 decimals, e.g. "1.0825"',
  description: 'Units of the base currency per 1 unit of currency',
};

export class CreateFxRateDto {
  @CurrencyField() currency: string;
  @MonthField() month: string;
  @StringField(RATE_RULE) rate: string;
}

export class UpdateFxRateDto {
  @StringField(RATE_RULE) rate: string;
  @IntField({ optional: true, min: 1, max: 2_147_483_647 }) version?: number;
}

export class FxRateQueryDto extends PageQueryDto {
  @CurrencyField({ optional: true }) currency?: string;
  @MonthField({ optional: true }) month?: string;
}

export class FxRateResponse {
  @ApiProperty() id: string;
  @ApiProperty() currency: string;
  @ApiProperty({ example: '2026-04' }) month: string;
  @ApiProperty({ example: '1.0825' }) rate: string;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class FxRatePageResponse {
  @ApiProperty({ type: FxRateResponse, isArray: true }) items: FxRateResponse[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

/** One currency × month the ledger holds money in: its rate, if recorded (reports refuse the month without it). */
export interface FxNeed {
  currency: string;
  month: string;
  rate: FxRateResponse | null;
}

const toResponse = (r: FxRate): FxRateResponse => ({
  id: r.id,
  currency: r.currency,
  month: r.month,
  rate: r.rate,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});
const duplicate = (r: { currency: string; month: string }) =>
  new FinanceError(FinanceErrorCode.DUPLICATE_FX_RATE, `A ${r.currency} rate for ${r.month} already exists; PATCH it instead`);

@Injectable()
export class FxRatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
  ) {}

  async list(query: FxRateQueryDto): Promise<Page<FxRateResponse>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const where: Partial<FxRate> = {};
    if (query.currency) where.currency = query.currency;
    if (query.month) where.month = query.month;
    const [rows, total] = await this.dataSource
      .getRepository(FxRate)
      .findAndCount({ where, order: { month: 'DESC', currency: 'ASC' }, skip, take });
    return { items: rows.map(toResponse), page, pageSize, total };
  }

  /**
   * Every foreign currency × month the ledger holds amounts in (contracts' committed months and
   * spend), newest first, with its rate or null: the months a report converting them needs.
   */
  async needs(): Promise<FxNeed[]> {
    const raw = await this.dataSource
      .getRepository(LedgerEntry)
      .createQueryBuilder('l')
      .select('l.currency', 'currency')
      .addSelect('l.month', 'month')
      .where('l.currency <> :base', { base: this.config.baseCurrency })
      .groupBy('l.currency')
      .addGroupBy('l.month')
      .getRawMany<{ currency: string; month: number | string }>();
    const pairs = raw.map((r) => ({ currency: r.currency, month: monthToString(Number(r.month)) }));
    const currencies = [...new Set(pairs.map((p) => p.currency))];
    const rates = currencies.length ? await this.dataSource.getRepository(FxRate).find({ where: { currency: In(currencies) } }) : [];
    const byKey = new Map(rates.map((r) => [`${r.currency}|${r.month}`, r]));
    return pairs
      .map((pair) => {
        const rate = byKey.get(`${pair.currency}|${pair.month}`);
        return { ...pair, rate: rate ? toResponse(rate) : null };
      })
      .sort((a, b) => b.month.localeCompare(a.month) || a.currency.localeCompare(b.currency));
  }

  async get(id: string): Promise<FxRateResponse> {
    const rate = await this.dataSource.getRepository(FxRate).findOne({ where: { id } });
    if (!rate) throw notFound('FX rate', id);
    return toResponse(rate);
  }

  async create(dto: CreateFxRateDto): Promise<FxRateResponse> {
    if (dto.currency === this.config.baseCurrency)
      throw new FinanceError(FinanceErrorCode.BASE_CURRENCY_RATE, `${dto.currency} is the base currency and needs no rate`);
    try {
      return await withTransaction(this.dataSource, async (manager) => {
        if (await manager.getRepository(FxRate).exists({ where: { currency: dto.currency, month: dto.month } })) throw duplicate(dto);
        const now = new Date();
        const rate = Object.assign(new FxRate(), {
          id: uuidv7(),
          currency: dto.currency,
          month: dto.month,
          rate: dto.rate,
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
        await manager.getRepository(FxRate).insert(rate);
        await this.ledger.refreshToolsInCurrency(manager, rate.currency);
        await bumpLedgerGenerations(manager, [monthFromString(rate.month)]);
        await this.audit.record(manager, {
          action: 'fx_rate.created',
          entityType: 'FxRate',
          entityId: rate.id,
          after: { currency: rate.currency, month: rate.month, rate: rate.rate },
        });
        return toResponse(rate);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate(dto);
      throw err;
    }
  }

  async update(id: string, dto: UpdateFxRateDto): Promise<FxRateResponse> {
    return withTransaction(this.dataSource, async (manager) => {
      const rate = await manager.getRepository(FxRate).findOne({ where: { id } });
      if (!rate) throw notFound('FX rate', id);
      await updateVersioned(manager, FxRate, 'FX rate', id, dto.version ?? rate.version, { rate: dto.rate });
      const saved = (await manager.getRepository(FxRate).findOne({ where: { id } }))!;
      await this.ledger.refreshToolsInCurrency(manager, rate.currency);
      await bumpLedgerGenerations(manager, [monthFromString(rate.month)]);
      await this.audit.record(manager, {
        action: 'fx_rate.updated',
        entityType: 'FxRate',
        entityId: id,
        before: { rate: rate.rate },
        after: { rate: saved.rate },
        metadata: { currency: rate.currency, month: rate.month },
      });
      return toResponse(saved);
    });
  }

  async remove(id: string, version?: number): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      const rate = await manager.getRepository(FxRate).findOne({ where: { id } });
      if (!rate) throw notFound('FX rate', id);
      if (version !== undefined && version !== rate.version) throw staleVersion('FX rate');
      await manager.getRepository(FxRate).delete({ id });
      await this.ledger.refreshToolsInCurrency(manager, rate.currency);
      await bumpLedgerGenerations(manager, [monthFromString(rate.month)]);
      await this.audit.record(manager, {
        action: 'fx_rate.deleted',
        entityType: 'FxRate',
        entityId: id,
        before: { currency: rate.currency, month: rate.month, rate: rate.rate },
      });
    });
  }
}

@ApiTags('fx-rates')
@Controller('fx-rates')
export class FxRatesController {
  constructor(private readonly rates: FxRatesService) {}

  @ApiOperation({ summary: 'List FX rates with filters and paging' })
  @Get()
  @Allow(...FINANCE_READERS)
  @ApiOkResponse({ type: FxRatePageResponse })
  list(@Query() query: FxRateQueryDto): Promise<Page<FxRateResponse>> {
    return this.rates.list(query);
  }

  @ApiOperation({ summary: 'One FX rate (currency × month → rate to the base currency)' })
  @Get(':id')
  @Allow(...FINANCE_READERS)
  @ApiOkResponse({ type: FxRateResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<FxRateResponse> {
    return this.rates.get(id);
  }

  @ApiOperation({ summary: 'Record an FX rate (FINANCE)' })
  @Post()
  @Allow(Role.FINANCE)
  @ApiCreatedResponse({ type: FxRateResponse })
  create(@Body() dto: CreateFxRateDto): Promise<FxRateResponse> {
    return this.rates.create(dto);
  }

  @ApiOperation({ summary: 'Edit an FX rate (FINANCE; send the version you read)' })
  @Patch(':id')
  @Allow(Role.FINANCE)
  @ApiOkResponse({ type: FxRateResponse })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateFxRateDto): Promise<FxRateResponse> {
    return this.rates.update(id, dto);
  }

  @ApiOperation({ summary: 'Delete an FX rate (FINANCE; ?version= guards against stale deletes)' })
  @Delete(':id')
  @HttpCode(204)
  @Allow(Role.FINANCE)
  @ApiQuery({ name: 'version', required: false, type: Number })
  @ApiNoContentResponse()
  remove(@Param('id', ParseUUIDPipe) id: string, @Query('version') version?: string): Promise<void> {
    return this.rates.remove(id, parseVersionQuery(version));
  }
}
