import { DataSource } from 'typeorm';
import {
  Category,
  CostCenter,
  CostCenterKind,
  isShadowIt,
  ItApprovalStatus,
  Lifecycle,
  Tool,
  Vendor,
  DataClassification,
} from '@stackgate/catalog';
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

export async function makeCostCenter(
  testApp: TestApp,
  options: { kind: CostCenterKind; code?: string; name?: string; ownerId?: string | null },
): Promise<CostCenter> {
  const code = (options.code ?? unique('CC')).toUpperCase();
  const cc = Object.assign(new CostCenter(), {
    id: uuidv7(),
    code,
    name: options.name ?? code,
    kind: options.kind,
    ownerId: options.ownerId ?? null,
    active: true,
    ...stamps(),
  });
  await testApp.app.get(DataSource).getRepository(CostCenter).insert(cc);
  return cc;
}

export async function makeVendor(testApp: TestApp, options: { name?: string; dpaSigned?: boolean } = {}): Promise<Vendor> {
  const name = options.name ?? unique('Vendor');
  const vendor = Object.assign(new Vendor(), {
    id: uuidv7(),
    name,
    nameKey: name.toLowerCase(),
    website: null,
    soc2: false,
    iso27001: false,
    dpaSigned: options.dpaSigned ?? true,
    notes: null,
    ...stamps(),
  });
  await testApp.app.get(DataSource).getRepository(Vendor).insert(vendor);
  return vendor;
}

export async function subcategory(testApp: TestApp, name: string): Promise<Category> {
  const category = await testApp.app
    .get(DataSource)
    .getRepository(Category)
    .findOne({ where: { nameKey: name.toLowerCase() } });
  if (!category || !category.parentId) throw new Error(`no subcategory ${name}`);
  return category;
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

export async function makeTool(testApp: TestApp, options: ToolOptions): Promise<Tool> {
  const name = options.name ?? unique('Tool');
  const sub = await subcategory(testApp, options.subcategory);
  const lifecycle = options.lifecycle ?? Lifecycle.ACTIVE;
  const itApproval = options.itApproval ?? ItApprovalStatus.APPROVED;
  const tool = Object.assign(new Tool(), {
    id: uuidv7(),
    name,
    nameKey: name.toLowerCase(),
    vendorId: options.vendor.id,
    subcategoryId: sub.id,
    categoryId: sub.parentId!,
    description: null,
    capabilities: [],
    lifecycle,
    itApprovalStatus: itApproval,
    itApprovalRationale: null,
    itApprovalConditions: null,
    itApprovalDecidedById: null,
    itApprovalDecidedAt: null,
    businessOwnerId: options.businessOwnerId ?? null,
    technicalOwnerId: null,
    budgetOwnerId: options.budgetOwner.id,
    allocation: options.allocation ?? null,
    dataClassification: DataClassification.PERSONAL,
    ssoEnabled: true,
    hostingRegion: null,
    isSystemOfRecord: options.isSystemOfRecord ?? false,
    licensedSeats: options.licensedSeats ?? null,
    activeUsers: options.activeUsers ?? null,
    website: null,
    shadowIt: isShadowIt(lifecycle, itApproval),
    annualCostMinor: null,
    annualCostCurrency: null,
    createdById: null,
    ...stamps(),
  });
  await testApp.app.get(DataSource).getRepository(Tool).insert(tool);
  return tool;
}

export async function makeIntegration(
  testApp: TestApp,
  source: Tool,
  target: Tool,
  options: { status?: IntegrationStatus; carriesPersonalData?: boolean } = {},
): Promise<Integration> {
  const status = options.status ?? IntegrationStatus.ACTIVE;
  const method = IntegrationMethod.API;
  const integration = Object.assign(new Integration(), {
    id: uuidv7(),
    sourceToolId: source.id,
    targetToolId: target.id,
    dataObjects: ['contacts'],
    method,
    frequency: IntegrationFrequency.DAILY,
    status,
    carriesPersonalData: options.carriesPersonalData ?? false,
    ownerId: null,
    notes: null,
    liveKey: status === IntegrationStatus.RETIRED ? null : `${source.id}:${target.id}:${method}`,
    ...stamps(),
  });
  await testApp.app.get(DataSource).getRepository(Integration).insert(integration);
  return integration;
}

export const money = (amount: string, currency = 'EUR') => ({ amount, currency });
