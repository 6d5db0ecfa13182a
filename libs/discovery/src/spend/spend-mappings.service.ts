import { Body, Controller, Delete, Get, HttpCode, Injectable, Param, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import {
  Allow,
  AuthUser,
  CurrentUser,
  EnumField,
  notFound,
  Role,
  StringField,
  uuidv7,
  validationFailed,
  withTransaction,
} from '@stackgate/platform';
import { CUSTOM_PREFIX, DateOrder, PRESET_NAMES, SPEND_COLUMNS, SPEND_PRESETS, SpendPreset } from './spend-presets';
import { SpendImportMapping } from './spend-mapping.entity';
import { DiscoveryError, DiscoveryErrorCode } from '../discovery.errors';

const HEADER = { max: 100, description: "The export's header for this column" };
const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,59}$/u;

export class SaveSpendMappingDto {
  @StringField(HEADER) date: string;
  @StringField(HEADER) merchant: string;
  @StringField(HEADER) amount: string;
  @StringField(HEADER) currency: string;
  @StringField({ ...HEADER, optional: true }) employee?: string;
  @StringField({ ...HEADER, optional: true }) costCenter?: string;
  @StringField({ ...HEADER, optional: true }) memo?: string;
  @StringField({ ...HEADER, optional: true }) reference?: string;
  @EnumField(['ISO', 'MDY', 'DMY'], { optional: true, description: 'How the date cells are written (default ISO, YYYY-MM-DD)' })
  dateOrder?: DateOrder;
}

export class SpendMappingResponse {
  @ApiProperty() name: string;
  @ApiProperty({ example: 'custom:Amex corporate' }) preset: string;
  @ApiProperty({ description: 'Generic column → header', type: 'object', additionalProperties: { type: 'string' } }) headers: Record<
    string,
    string
  >;
  @ApiProperty({ enum: ['ISO', 'MDY', 'DMY'] }) dateOrder: string;
  @ApiPropertyOptional({ type: String, nullable: true }) createdById: string | null;
  @ApiProperty() version: number;
  @ApiProperty() updatedAt: Date;
}

const toResponse = (m: SpendImportMapping): SpendMappingResponse => ({
  name: m.name,
  preset: `${CUSTOM_PREFIX}${m.name}`,
  headers: m.headers,
  dateOrder: m.dateOrder,
  createdById: m.createdById,
  version: m.version,
  updatedAt: m.updatedAt,
});

/**
 * The presets of kind spend-transactions: the shipped ones and the workspace's saved custom
 * mappings (preset "custom:<name>"), which map any export's headers to the generic columns.
 */
@Injectable()
export class SpendMappingsService {
  /** The last preset resolved per name, for the rows of the import that resolved it (a row's read is synchronous). */
  private readonly resolved = new Map<string, SpendPreset>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The preset `name` names (default generic); 400 VALIDATION_FAILED naming the choices for an unknown one. */
  async preset(manager: EntityManager, name: string | undefined): Promise<SpendPreset> {
    const key = name?.trim() || 'generic';
    let preset: SpendPreset | undefined = SPEND_PRESETS[key.toLowerCase()];
    if (!preset && key.toLowerCase().startsWith(CUSTOM_PREFIX)) {
      const saved = await manager
        .getRepository(SpendImportMapping)
        .findOne({ where: { nameKey: key.slice(CUSTOM_PREFIX.length).trim().toLowerCase() } });
      if (saved) preset = { ...presetOf(saved), name: key };
    }
    if (!preset) {
      const saved = await manager.getRepository(SpendImportMapping).find({ select: { name: true }, order: { nameKey: 'ASC' } });
      const choices = [...PRESET_NAMES, ...saved.map((m) => `${CUSTOM_PREFIX}${m.name}`)];
      throw validationFailed(`Unknown preset "${key}": use one of ${choices.join(', ')}`, [{ field: 'preset', message: 'unknown preset' }]);
    }
    this.resolved.set(name ?? '', preset);
    return preset;
  }

  /** The workspace's saved mappings as presets ("custom:<name>"), by name. */
  async savedPresets(manager: EntityManager): Promise<SpendPreset[]> {
    return (await manager.getRepository(SpendImportMapping).find({ order: { nameKey: 'ASC' } })).map(presetOf);
  }

  cachedPreset(name: string | undefined): SpendPreset {
    return this.resolved.get(name ?? '') ?? SPEND_PRESETS.generic;
  }

  async list(): Promise<SpendMappingResponse[]> {
    return (await this.dataSource.getRepository(SpendImportMapping).find({ order: { nameKey: 'ASC' } })).map(toResponse);
  }

  /**
   * Creates or replaces the mapping `name` (audited). `onlyNew`: refuse (409) a name the workspace already uses instead
   * of replacing its mapping (the web form's "create").
   */
  save(actor: AuthUser, name: string, dto: SaveSpendMappingDto, options: { onlyNew?: boolean } = {}): Promise<SpendMappingResponse> {
    const trimmed = name.trim();
    if (!NAME_PATTERN.test(trimmed))
      throw validationFailed('name must be 1–60 letters, digits, spaces, dots, dashes or underscores', [
        { field: 'name', message: 'invalid name' },
      ]);
    const headers: Record<string, string> = {};
    for (const column of SPEND_COLUMNS) if (dto[column]?.trim()) headers[column] = dto[column].trim();
    const seen = new Set<string>();
    for (const header of Object.values(headers)) {
      if (seen.has(header.toLowerCase()))
        throw validationFailed(`header "${header}" is mapped to two columns`, [{ field: header, message: 'repeated' }]);
      seen.add(header.toLowerCase());
    }
    return withTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(SpendImportMapping);
      const existing = await repo.findOne({ where: { nameKey: trimmed.toLowerCase() } });
      if (existing && options.onlyNew)
        throw new DiscoveryError(
          DiscoveryErrorCode.SPEND_MAPPING_EXISTS,
          `A saved mapping is already named "${existing.name}": choose another name, or delete that mapping first`,
        );
      const now = new Date();
      const fields = { headers, dateOrder: dto.dateOrder ?? 'ISO' };
      if (existing) await repo.update({ id: existing.id }, { ...fields, name: trimmed, version: existing.version + 1, updatedAt: now });
      else
        await repo.insert({
          id: uuidv7(),
          name: trimmed,
          nameKey: trimmed.toLowerCase(),
          ...fields,
          createdById: actor.id,
          version: 1,
          createdAt: now,
          updatedAt: now,
        });
      const saved = (await repo.findOne({ where: { nameKey: trimmed.toLowerCase() } }))!;
      await this.audit.record(manager, {
        action: 'spend_mapping.saved',
        entityType: 'SpendImportMapping',
        entityId: saved.id,
        before: existing ? { headers: existing.headers, dateOrder: existing.dateOrder } : null,
        after: { name: saved.name, headers: saved.headers, dateOrder: saved.dateOrder },
      });
      return toResponse(saved);
    });
  }

  remove(name: string): Promise<void> {
    return withTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(SpendImportMapping);
      const existing = await repo.findOne({ where: { nameKey: name.trim().toLowerCase() } });
      if (!existing) throw notFound('Spend import mapping', name);
      await repo.delete({ id: existing.id });
      await this.audit.record(manager, {
        action: 'spend_mapping.deleted',
        entityType: 'SpendImportMapping',
        entityId: existing.id,
        before: { name: existing.name },
      });
    });
  }
}

/** A saved mapping as the import reads it: any export's headers, its date order; other columns ignored, department names allowed. */
function presetOf(saved: SpendImportMapping): SpendPreset {
  return {
    name: `${CUSTOM_PREFIX}${saved.name}`,
    label: `${CUSTOM_PREFIX}${saved.name} (saved mapping)`,
    headers: saved.headers,
    dateOrder: saved.dateOrder as DateOrder,
    ignoreUnknown: true,
    lenientCostCenter: true,
  };
}

/** Who keeps the saved mappings: the spend-transactions importers. */
export const SPEND_MAPPERS = [Role.FINANCE, Role.IT, Role.CIO];
const MAPPERS = SPEND_MAPPERS;

@ApiTags('discovery')
@Controller('discovery/spend-mappings')
export class SpendMappingsController {
  constructor(private readonly mappings: SpendMappingsService) {}

  @ApiOperation({ summary: 'Saved custom mappings of spend exports (import them with preset "custom:<name>"). FINANCE, IT, CIO.' })
  @Get()
  @Allow(...MAPPERS)
  @ApiOkResponse({ type: SpendMappingResponse, isArray: true })
  list() {
    return this.mappings.list();
  }

  @ApiOperation({ summary: "Save (create or replace) a mapping: each generic column's header in your export, and its date order" })
  @Put(':name')
  @Allow(...MAPPERS)
  @ApiOkResponse({ type: SpendMappingResponse })
  save(@CurrentUser() actor: AuthUser, @Param('name') name: string, @Body() dto: SaveSpendMappingDto) {
    return this.mappings.save(actor, name, dto);
  }

  @ApiOperation({ summary: 'Delete a saved mapping' })
  @Delete(':name')
  @HttpCode(204)
  @Allow(...MAPPERS)
  @ApiNoContentResponse()
  async remove(@Param('name') name: string): Promise<void> {
    await this.mappings.remove(name);
  }
}
