import { DataSource } from 'typeorm';
import { Category, CostCenter, CostCenterKind, isShadowIt, ItApprovalStatus, Lifecycle, Tool, Vendor, DataClassification } from '@stackgate/catalog';
import { Integration, IntegrationFrequency, IntegrationMethod, IntegrationStatus } from '@stackgate/integrations';
import { AllocationShare, uuidv7 } from '@stackgate/platform';
import { unique } from './factories';
import { TestApp } from './test-app';

/*
 * Catalog rows inserted directly with TypeORM (valid rows: lower-cased name keys, categoryId = the
 * subcategory's parent, shadowIt consistent), so finance tests do not depend on the catalog API.
 */

const stamps = () => {
  const now = new Date();
  return { createdAt: now, updatedAt: now, version: 1 };
};

export async function makeCostCenter(t: TestApp, o: { kind: CostCenterKind; code?: string; name?: string; ownerId?: string | null }): Promise<CostCenter> {
  const code = (o.code ?? unique('CC')).toUpperCase();
  const cc = Object.assign(new CostCenter(), { id: uuidv7(), code, name: o.name ?? code, kind: o.kind, ownerId: o.ownerId ?? null, active: true, ...stamps() });
  await t.app.get(DataSource).getRepository(CostCenter).insert(cc);
  return cc;
}

export async function makeVendor(t: TestApp, o: { name?: string; dpaSigned?: boolean } = {}): Promise<Vendor> {
  const name = o.name ?? unique('Vendor');
  const v = Object.assign(new Vendor(), { id: uuidv7(), name, nameKey: name.toLowerCase(), website: null, soc2: false, iso27001: false, dpaSigned: o.dpaSigned ?? true, notes: null, ...stamps() });
  await t.app.get(DataSource).getRepository(Vendor).insert(v);
  return v;
}

export async function subcategory(t: TestApp, name: string): Promise<Category> {
  const c = await t.app.get(DataSource).getRepository(Category).findOne({ where: { nameKey: name.toLowerCase() } });
  if (!c || !c.parentId) throw new Error(`no subcategory ${name}`);
  return c;
}

export interface ToolOptions {
  name?: string;
  vendor: Vendor;
  subcategory: string;
  budgetOwner: CostCenter;
  allocation?: AllocationShare[] | null;
  lifecycle?: Lifecycle;
  itApproval?: ItApprovalStatus;
  businessOwnerId?: string | null;
  isSystemOfRecord?: boolean;
  licensedSeats?: number | null;
  activeUsers?: number | null;
}

export async function makeTool(t: TestApp, o: ToolOptions): Promise<Tool> {
  const name = o.name ?? unique('Tool');
  const sub = await subcategory(t, o.subcategory);
  const lifecycle = o.lifecycle ?? Lifecycle.ACTIVE;
  const itApproval = o.itApproval ?? ItApprovalStatus.APPROVED;
  const tool = Object.assign(new Tool(), {
    id: uuidv7(), name, nameKey: name.toLowerCase(), vendorId: o.vendor.id, subcategoryId: sub.id, categoryId: sub.parentId!, description: null,
    capabilities: [], lifecycle, itApprovalStatus: itApproval, itApprovalRationale: null, itApprovalConditions: null, itApprovalDecidedById: null,
    itApprovalDecidedAt: null, businessOwnerId: o.businessOwnerId ?? null, technicalOwnerId: null, budgetOwnerId: o.budgetOwner.id,
    allocation: o.allocation ?? null, dataClassification: DataClassification.PERSONAL, ssoEnabled: true, hostingRegion: null,
    isSystemOfRecord: o.isSystemOfRecord ?? false, licensedSeats: o.licensedSeats ?? null, activeUsers: o.activeUsers ?? null, website: null,
    shadowIt: isShadowIt(lifecycle, itApproval), annualCostMinor: null, annualCostCurrency: null, createdById: null, ...stamps(),
  });
  await t.app.get(DataSource).getRepository(Tool).insert(tool);
  return tool;
}

export async function makeIntegration(t: TestApp, source: Tool, target: Tool, o: { status?: IntegrationStatus; carriesPersonalData?: boolean } = {}): Promise<Integration> {
  const status = o.status ?? IntegrationStatus.ACTIVE;
  const method = IntegrationMethod.API;
  const i = Object.assign(new Integration(), {
    id: uuidv7(), sourceToolId: source.id, targetToolId: target.id, dataObjects: ['contacts'], method, frequency: IntegrationFrequency.DAILY, status,
    carriesPersonalData: o.carriesPersonalData ?? false, ownerId: null, notes: null,
    liveKey: status === IntegrationStatus.RETIRED ? null : `${source.id}:${target.id}:${method}`, ...stamps(),
  });
  await t.app.get(DataSource).getRepository(Integration).insert(i);
  return i;
}

export const money = (amount: string, currency = 'EUR') => ({ amount, currency });
