import { Body, Controller, Delete, Get, HttpCode, Inject, Injectable, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { CatalogQueries } from '@stackgate/catalog';
import {
  Allow,
  APP_CONFIG,
  AppConfig,
  IntField,
  isUniqueViolation,
  MoneyDto,
  MoneyField,
  moneyJson,
  notFound,
  Page,
  PageQueryDto,
  pageParams,
  parseDecimalToMinor,
  Role,
  staleVersion,
  unknownReference,
  updateVersioned,
  UuidField,
  uuidv7,
  validationFailed,
  withTransaction,
} from '@stackgate/platform';
import { FINANCE_READERS } from '../finance.roles';
import { parseVersionQuery } from '../version-query';
import { Budget } from './budget.entity';
import { FinanceError, FinanceErrorCode } from '../finance.errors';

export class CreateBudgetDto {
  @UuidField() costCenterId: string;
  @IntField({ min: 2000, max: 2200, description: 'Named by the calendar year in which it ends' }) fiscalYear: number;
  @MoneyField({ nonNegative: true, description: 'In BASE_CURRENCY' }) amount: MoneyDto;
}

export class UpdateBudgetDto {
  @MoneyField({ nonNegative: true }) amount: MoneyDto;
  @IntField({ optional: true, min: 1, max: 2_147_483_647 }) version?: number;
}

export class BudgetQueryDto extends PageQueryDto {
  @UuidField({ optional: true }) costCenterId?: string;
  @IntField({ optional: true, min: 2000, max: 2200 }) fiscalYear?: number;
}

export class BudgetResponse {
  @ApiProperty() id: string;
  @ApiProperty() costCenterId: string;
  @ApiProperty() fiscalYear: number;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class BudgetPageResponse {
  @ApiProperty({ type: BudgetResponse, isArray: true }) items: BudgetResponse[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

const toResponse = (b: Budget): BudgetResponse => ({
  id: b.id,
  costCenterId: b.costCenterId,
  fiscalYear: b.fiscalYear,
  amount: moneyJson(b.amountMinor, b.currency)!,
  version: b.version,
  createdAt: b.createdAt,
  updatedAt: b.updatedAt,
});
const snapshot = (b: Budget) => ({ costCenterId: b.costCenterId, fiscalYear: b.fiscalYear, amount: moneyJson(b.amountMinor, b.currency) });
const duplicate = () => new FinanceError(FinanceErrorCode.DUPLICATE_BUDGET, 'A budget for this cost center and fiscal year already exists');

@Injectable()
export class BudgetsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly catalog: CatalogQueries,
  ) {}

  private baseAmount(amount: MoneyDto): bigint {
    if (amount.currency !== this.config.baseCurrency) {
      throw validationFailed(`amount must be in the base currency ${this.config.baseCurrency}`, [
        { field: 'amount.currency', messages: [`must be ${this.config.baseCurrency}`] },
      ]);
    }
    return parseDecimalToMinor(amount.amount, amount.currency);
  }

  async list(query: BudgetQueryDto): Promise<Page<BudgetResponse>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const where: Partial<Budget> = {};
    if (query.costCenterId) where.costCenterId = query.costCenterId;
    if (query.fiscalYear) where.fiscalYear = query.fiscalYear;
    const [rows, total] = await this.dataSource
      .getRepository(Budget)
      .findAndCount({ where, order: { fiscalYear: 'DESC', costCenterId: 'ASC' }, skip, take });
    return { items: rows.map(toResponse), page, pageSize, total };
  }

  async get(id: string): Promise<BudgetResponse> {
    const budget = await this.dataSource.getRepository(Budget).findOne({ where: { id } });
    if (!budget) throw notFound('Budget', id);
    return toResponse(budget);
  }

  async create(dto: CreateBudgetDto): Promise<BudgetResponse> {
    const amountMinor = this.baseAmount(dto.amount);
    try {
      return await withTransaction(this.dataSource, async (manager: EntityManager) => {
        if (!(await this.catalog.costCenterFacts([dto.costCenterId], manager)).has(dto.costCenterId)) {
          throw unknownReference(`Cost center ${dto.costCenterId} does not exist`, [{ field: 'costCenterId', id: dto.costCenterId }]);
        }
        if (await manager.getRepository(Budget).exists({ where: { costCenterId: dto.costCenterId, fiscalYear: dto.fiscalYear } }))
          throw duplicate();
        const now = new Date();
        const budget = Object.assign(new Budget(), {
          id: uuidv7(),
          costCenterId: dto.costCenterId,
          fiscalYear: dto.fiscalYear,
          amountMinor,
          currency: this.config.baseCurrency,
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
        await manager.getRepository(Budget).insert(budget);
        await this.audit.record(manager, { action: 'budget.created', entityType: 'Budget', entityId: budget.id, after: snapshot(budget) });
        return toResponse(budget);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
  }

  async update(id: string, dto: UpdateBudgetDto): Promise<BudgetResponse> {
    const amountMinor = this.baseAmount(dto.amount);
    return withTransaction(this.dataSource, async (manager) => {
      const budget = await manager.getRepository(Budget).findOne({ where: { id } });
      if (!budget) throw notFound('Budget', id);
      await updateVersioned(manager, Budget, 'Budget', id, dto.version ?? budget.version, { amountMinor });
      const saved = (await manager.getRepository(Budget).findOne({ where: { id } }))!;
      await this.audit.record(manager, {
        action: 'budget.updated',
        entityType: 'Budget',
        entityId: id,
        before: snapshot(budget),
        after: snapshot(saved),
      });
      return toResponse(saved);
    });
  }

  async remove(id: string, version?: number): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      const budget = await manager.getRepository(Budget).findOne({ where: { id } });
      if (!budget) throw notFound('Budget', id);
      if (version !== undefined && version !== budget.version) throw staleVersion('Budget');
      await manager.getRepository(Budget).delete({ id });
      await this.audit.record(manager, { action: 'budget.deleted', entityType: 'Budget', entityId: id, before: snapshot(budget) });
    });
  }
}

@ApiTags('budgets')
@Controller('budgets')
export class BudgetsController {
  constructor(private readonly budgets: BudgetsService) {}

  @ApiOperation({ summary: 'List budgets with filters and paging' })
  @Get()
  @Allow(...FINANCE_READERS)
  @ApiOkResponse({ type: BudgetPageResponse })
  list(@Query() query: BudgetQueryDto): Promise<Page<BudgetResponse>> {
    return this.budgets.list(query);
  }

  @ApiOperation({ summary: 'One budget (cost center × fiscal year, base currency)' })
  @Get(':id')
  @Allow(...FINANCE_READERS)
  @ApiOkResponse({ type: BudgetResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<BudgetResponse> {
    return this.budgets.get(id);
  }

  @ApiOperation({ summary: 'Record a budget (FINANCE)' })
  @Post()
  @Allow(Role.FINANCE)
  @ApiCreatedResponse({ type: BudgetResponse })
  create(@Body() dto: CreateBudgetDto): Promise<BudgetResponse> {
    return this.budgets.create(dto);
  }

  @ApiOperation({ summary: 'Edit a budget (FINANCE; send the version you read)' })
  @Patch(':id')
  @Allow(Role.FINANCE)
  @ApiOkResponse({ type: BudgetResponse })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateBudgetDto): Promise<BudgetResponse> {
    return this.budgets.update(id, dto);
  }

  @ApiOperation({ summary: 'Delete a budget (FINANCE; ?version= guards against stale deletes)' })
  @Delete(':id')
  @HttpCode(204)
  @Allow(Role.FINANCE)
  @ApiQuery({ name: 'version', required: false, type: Number })
  @ApiNoContentResponse()
  remove(@Param('id', ParseUUIDPipe) id: string, @Query('version') version?: string): Promise<void> {
    return this.budgets.remove(id, parseVersionQuery(version));
  }
}
