import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import {
  AuthUser,
  insertRows,
  isUniqueViolation,
  notFound,
  Page,
  pageParams,
  resolveSort,
  updateVersioned,
  uuidv7,
  withTransaction,
} from '@stackgate/platform';
import { containsPattern, CatalogError, CatalogErrorCode } from '../catalog.errors';
import { assertFieldsAllowed } from '../field-permissions';
import { CreateVendorDto, UpdateVendorDto, VendorQueryDto, VendorResponse } from './dto/vendor.dto';
import { Vendor } from './vendor.entity';

export function toVendorResponse(vendor: Vendor): VendorResponse {
  return {
    id: vendor.id,
    name: vendor.name,
    website: vendor.website,
    soc2: vendor.soc2,
    iso27001: vendor.iso27001,
    dpaSigned: vendor.dpaSigned,
    notes: vendor.notes,
    version: vendor.version,
    createdAt: vendor.createdAt,
    updatedAt: vendor.updatedAt,
  };
}

const snapshot = (v: Vendor) => ({
  name: v.name,
  website: v.website,
  soc2: v.soc2,
  iso27001: v.iso27001,
  dpaSigned: v.dpaSigned,
  notes: v.notes,
});
const nameTaken = (name: string) => new CatalogError(CatalogErrorCode.VENDOR_NAME_TAKEN, `A vendor named "${name}" already exists`);
const actorOf = (actor: AuthUser | null) => (actor ? { actor: { id: actor.id, email: actor.email } } : {});

@Injectable()
export class VendorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Creates a vendor in the caller's transaction (also used by imports and the review workflow). */
  async createInTransaction(manager: EntityManager, actor: AuthUser | null, dto: CreateVendorDto): Promise<Vendor> {
    const name = dto.name.trim();
    if (await manager.getRepository(Vendor).exists({ where: { nameKey: name.toLowerCase() } })) throw nameTaken(name);
    const vendor = newVendor({ ...dto, name }, new Date());
    try {
      await manager.getRepository(Vendor).insert(vendor);
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(name);
      throw err;
    }
    await this.audit.record(manager, {
      action: 'vendor.created',
      entityType: 'Vendor',
      entityId: vendor.id,
      after: snapshot(vendor),
      ...actorOf(actor),
    });
    return vendor;
  }

  /** The vendor with this name (any case), created when missing. */
  async findOrCreateByNameInTransaction(manager: EntityManager, actor: AuthUser | null, name: string): Promise<Vendor> {
    const existing = await manager.getRepository(Vendor).findOneBy({ nameKey: name.trim().toLowerCase() });
    return existing ?? this.createInTransaction(manager, actor, { name });
  }

  /**
   * findOrCreateByNameInTransaction for many names at once (imports): the same vendor rows and
   * `vendor.created` events, in the order the names are given, with one lookup per 500 names and
   * multi-row inserts. Answers the vendor id by lower-cased, trimmed name.
   */
  async findOrCreateManyByNameInTransaction(manager: EntityManager, actor: AuthUser | null, names: string[]): Promise<Map<string, string>> {
    const byKey = new Map<string, string>();
    for (const given of names) {
      const name = given.trim();
      if (!byKey.has(name.toLowerCase())) byKey.set(name.toLowerCase(), name);
    }
    const keys = [...byKey.keys()];
    const ids = new Map<string, string>();
    for (let start = 0; start < keys.length; start += 500) {
      for (const vendor of await manager
        .getRepository(Vendor)
        .find({ where: { nameKey: In(keys.slice(start, start + 500)) }, select: { id: true, nameKey: true } }))
        ids.set(vendor.nameKey, vendor.id);
    }
    const now = new Date();
    const created = keys.filter((key) => !ids.has(key)).map((key) => newVendor({ name: byKey.get(key)! }, now));
    try {
      await insertRows(manager, Vendor, created);
    } catch (err) {
      if (isUniqueViolation(err)) throw new CatalogError(CatalogErrorCode.VENDOR_NAME_TAKEN, 'A vendor of this file already exists');
      throw err;
    }
    await this.audit.recordMany(
      manager,
      created.map((vendor) => ({
        action: 'vendor.created',
        entityType: 'Vendor',
        entityId: vendor.id,
        after: snapshot(vendor),
        ...actorOf(actor),
      })),
      { newEntities: true },
    );
    for (const vendor of created) ids.set(vendor.nameKey, vendor.id);
    return ids;
  }

  /** Security attestations (soc2, iso27001, dpaSigned) only by IT, CIO, ADMIN: 403 and nothing written otherwise. */
  async create(actor: AuthUser, dto: CreateVendorDto): Promise<VendorResponse> {
    await assertFieldsAllowed(this.audit, actor, 'Vendor', null, dto);
    const vendor = await withTransaction(this.dataSource, (m) => this.createInTransaction(m, actor, dto));
    return toVendorResponse(vendor);
  }

  async update(actor: AuthUser, id: string, dto: UpdateVendorDto): Promise<VendorResponse> {
    await assertFieldsAllowed(this.audit, actor, 'Vendor', id, dto);
    await withTransaction(this.dataSource, async (manager) => {
      const vendor = await this.load(manager, id);
      const { version, ...fields } = dto;
      const changes: Partial<Vendor> = {};
      if (fields.name !== undefined && fields.name.trim() !== vendor.name) {
        const name = fields.name.trim();
        if (
          name.toLowerCase() !== vendor.nameKey &&
          (await manager.getRepository(Vendor).exists({ where: { nameKey: name.toLowerCase() } }))
        )
          throw nameTaken(name);
        changes.name = name;
        changes.nameKey = name.toLowerCase();
      }
      for (const field of ['website', 'soc2', 'iso27001', 'dpaSigned', 'notes'] as const)
        if (fields[field] !== undefined) (changes as Record<string, unknown>)[field] = fields[field];
      try {
        await updateVersioned(manager, Vendor, 'Vendor', id, version, changes);
      } catch (err) {
        if (isUniqueViolation(err)) throw nameTaken(changes.name ?? vendor.name);
        throw err;
      }
      await this.audit.record(manager, {
        action: 'vendor.updated',
        entityType: 'Vendor',
        entityId: id,
        before: snapshot(vendor),
        after: { ...snapshot(vendor), ...changes },
        ...actorOf(actor),
      });
    });
    return this.get(id);
  }

  async get(id: string): Promise<VendorResponse> {
    return toVendorResponse(await this.load(this.dataSource.manager, id));
  }

  async list(query: VendorQueryDto): Promise<Page<VendorResponse>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const sort = resolveSort(query.sort, { name: 'v.nameKey', createdAt: 'v.createdAt', updatedAt: 'v.updatedAt' }, 'name');
    const qb = this.dataSource.getRepository(Vendor).createQueryBuilder('v');
    if (query.search) qb.andWhere("v.nameKey LIKE :s ESCAPE '!'", { s: containsPattern(query.search) });
    if (query.dpaSigned !== undefined) qb.andWhere('v.dpaSigned = :dpa', { dpa: query.dpaSigned });
    const [rows, total] = await qb.orderBy(sort.column, sort.direction).addOrderBy('v.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return { items: rows.map(toVendorResponse), page, pageSize, total };
  }

  private async load(manager: EntityManager, id: string): Promise<Vendor> {
    const vendor = await manager.getRepository(Vendor).findOneBy({ id });
    if (!vendor) throw notFound('Vendor', id);
    return vendor;
  }
}

/** A new vendor's row from a trimmed name and the optional fields (shared by the single and the batch create). */
function newVendor(dto: CreateVendorDto, now: Date): Vendor {
  return Object.assign(new Vendor(), {
    id: uuidv7(now.getTime()),
    name: dto.name,
    nameKey: dto.name.toLowerCase(),
    website: dto.website ?? null,
    soc2: dto.soc2 ?? false,
    iso27001: dto.iso27001 ?? false,
    dpaSigned: dto.dpaSigned ?? false,
    notes: dto.notes ?? null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
}
