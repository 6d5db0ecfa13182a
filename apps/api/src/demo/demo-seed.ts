import { INestApplication, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CostCenterKind,
  CostCentersService,
  DataClassification,
  ItApprovalStatus,
  Lifecycle,
  Tool,
  ToolsService,
  VendorsService,
} from '@stackgate/catalog';
import { Billing, BudgetsService, ContractsService, CostType, FxRatesService, SpendEntriesService } from '@stackgate/finance';
import { User, UsersService } from '@stackgate/identity';
import { IntegrationFrequency, IntegrationMethod, IntegrationsService, IntegrationStatus } from '@stackgate/integrations';
import {
  CreateRequestDto,
  Decision,
  DecideStageDto,
  RequestCondition,
  RequestsService,
  RequestType,
  SecurityAttestation,
  Stage,
} from '@stackgate/procurement';
import { AppConfig, AuthUser, engineOf, formatMinor, parseDecimalToMinor, Role, withTransaction } from '@stackgate/platform';
import { seedIdpUsage } from './demo-idp-usage';
import { seedMissedRenewal } from './demo-renewals';
import { seedDemoSpend } from './demo-spend';
import { DEMO_COST_CENTERS, DEMO_INTEGRATIONS, DEMO_PASSWORD, DEMO_TOOLS, DEMO_USERS, DEMO_VENDORS, DemoTool } from './demo-data';

/** Whether this start loads the demo: SEED_DEMO=true anywhere, or by default on the embedded SQLite only. */
export function shouldSeedDemo(config: AppConfig): boolean {
  return config.seedDemo ?? engineOf(config.dbUrl) === 'sqlite';
}

const pad = (n: number) => String(n).padStart(2, '0');
function monthShift(base: Date, months: number): { y: number; m: number } {
  const total = base.getUTCFullYear() * 12 + base.getUTCMonth() + months;
  return { y: Math.floor(total / 12), m: (total % 12) + 1 };
}
const ym = (d: { y: number; m: number }) => `${d.y}-${pad(d.m)}`;

/** A deterministic USD→EUR rate that drifts a little from month to month. */
function usdRate(index: number): string {
  const basisPoints = 9000 + ((index * 37) % 400);
  return `0.${String(basisPoints).padStart(4, '0')}`;
}

/**
 * Loads the demo stack through the product's own services (the same validation, ledger rows and
 * audit events as real use). Runs only on a database without tools and without demo users.
 * Returns the sign-ins to print, or null when nothing was loaded.
 */
export async function seedDemo(
  app: INestApplication,
  config: AppConfig,
  now = new Date(),
): Promise<{ email: string; roles: string[] }[] | null> {
  const ds = app.get(DataSource);
  if ((await ds.getRepository(Tool).count()) > 0) return null;
  if ((await ds.getRepository(User).createQueryBuilder('u').where('u.email LIKE :d', { d: '%@demo.stackgate.local' }).getCount()) > 0)
    return null;
  const logger = new Logger('Demo');
  const today = now.toISOString().slice(0, 10);
  const users = app.get(UsersService);
  const tools = app.get(ToolsService);

  const people = new Map<string, AuthUser>();
  await withTransaction(ds, async (manager) => {
    for (const user of DEMO_USERS) {
      const created = await users.createWith(manager, {
        email: user.email,
        displayName: user.displayName,
        password: DEMO_PASSWORD,
        roles: [...user.roles] as Role[],
      });
      people.set(user.key, { id: created.id, email: created.email, displayName: created.displayName, roles: [...user.roles] as Role[] });
    }
  });
  const who = (k: string) => people.get(k)!;

  const costCenters = new Map<string, string>();
  for (const costCenter of DEMO_COST_CENTERS) {
    const cc = await app.get(CostCentersService).create(who('admin'), {
      code: costCenter.code,
      name: costCenter.name,
      kind: CostCenterKind[costCenter.kind],
      ownerId: who(costCenter.owner).id,
    });
    costCenters.set(costCenter.key, cc.id);
  }
  const vendors = new Map<string, string>();
  // IT registers the demo vendors: their security attestations are IT's word.
  for (const vendor of DEMO_VENDORS) vendors.set(vendor.name, (await app.get(VendorsService).create(who('it'), vendor)).id);

  const subcategories = new Map<string, string>(
    (await ds.query<{ id: string; name: string }[]>('SELECT id, name FROM categories WHERE parentId IS NOT NULL')).map((r) => [
      r.name,
      r.id,
    ]),
  );

  const toolIds = new Map<string, string>();
  for (const tool of DEMO_TOOLS) {
    const registrar = who(tool.businessOwner === 'cio' ? 'it' : 'it');
    const created = await tools.create(registrar, {
      name: tool.name,
      vendorId: vendors.get(tool.vendor)!,
      subcategoryId: subcategories.get(tool.subcategory)!,
      description: tool.description,
      capabilities: tool.capabilities,
      lifecycle: Lifecycle[tool.lifecycle],
      businessOwnerId: who(tool.businessOwner).id,
      technicalOwnerId: tool.technicalOwner ? who(tool.technicalOwner).id : null,
      budgetOwnerId: costCenters.get(tool.budgetOwner)!,
      allocation: tool.split ? tool.split.map(([k, bps]) => ({ costCenterId: costCenters.get(k)!, shareBps: bps })) : null,
      dataClassification: DataClassification[tool.dataClassification],
      ssoEnabled: tool.sso,
      hostingRegion: tool.region,
      isSystemOfRecord: !!tool.sor,
      licensedSeats: tool.seats?.[0] ?? null,
      activeUsers: tool.seats?.[1] ?? null,
      website: null,
    });
    toolIds.set(tool.key, created.id);
    if (tool.itApproval !== 'NOT_REVIEWED') {
      await tools.setItApproval(who('cio'), created.id, {
        status: ItApprovalStatus[tool.itApproval],
        rationale: tool.itApproval === 'REJECTED' ? 'Fails our data-residency requirements.' : 'Security review passed (SSO, SOC 2, DPA).',
        conditions: tool.conditions ?? null,
      });
    }
  }

  for (const [src, dst, objects, method, frequency, status, personal] of DEMO_INTEGRATIONS) {
    await app.get(IntegrationsService).create(who('it'), {
      sourceToolId: toolIds.get(src)!,
      targetToolId: toolIds.get(dst)!,
      dataObjects: objects,
      method: IntegrationMethod[method],
      frequency: IntegrationFrequency[frequency],
      status: IntegrationStatus[status],
      carriesPersonalData: personal,
      ownerId: who('it').id,
    });
  }

  // FX rates for three years back and forward, so committed spend over every contract term converts.
  const fx = app.get(FxRatesService);
  if (config.baseCurrency !== 'USD') {
    for (let i = -36; i <= 36; i++) await fx.create({ currency: 'USD', month: ym(monthShift(now, i)), rate: usdRate(i + 36) });
  }
  if (config.baseCurrency !== 'EUR') {
    for (let i = -36; i <= 36; i++) await fx.create({ currency: 'EUR', month: ym(monthShift(now, i)), rate: '1.0900' });
  }

  const contracts = app.get(ContractsService);
  const spend = app.get(SpendEntriesService);
  for (const tool of DEMO_TOOLS.filter((x): x is DemoTool & { contract: NonNullable<DemoTool['contract']> } => !!x.contract)) {
    const terms = tool.contract;
    const start = monthShift(now, -terms.startMonthsAgo);
    const contract = await withTransaction(ds, (m) =>
      contracts.createInTransaction(m, who('finance'), {
        toolId: toolIds.get(tool.key)!,
        reference: `${tool.key.toUpperCase()}-${start.y}`,
        startDate: `${ym(start)}-01`,
        termMonths: terms.termMonths,
        billing: Billing[terms.billing],
        amount: { amount: terms.amount, currency: terms.currency },
        costType: CostType[terms.costType ?? 'LICENSE'],
        seats: tool.seats?.[0],
        autoRenew: terms.autoRenew,
        noticeDays: terms.noticeDays,
        internalLeadDays: 30,
      }),
    );
    // Invoices for every billing period that has started, up to 24 months back.
    const every = terms.billing === 'MONTHLY' ? 1 : terms.billing === 'QUARTERLY' ? 3 : 12;
    for (let monthOffset = 0; monthOffset < terms.termMonths; monthOffset += every) {
      const monthsAgo = terms.startMonthsAgo - monthOffset;
      if (monthsAgo < 0 || monthsAgo > 24) continue;
      const invoiceMonth = monthShift(now, -monthsAgo);
      // Actual spend is what has been invoiced: never a date after today.
      if (`${ym(invoiceMonth)}-05` > today) continue;
      await spend.create(who('finance'), {
        date: `${ym(invoiceMonth)}-05`,
        toolId: toolIds.get(tool.key)!,
        contractId: (contract as { id: string }).id,
        costType: CostType[terms.costType ?? 'LICENSE'],
        amount: { amount: terms.amount, currency: terms.currency },
        description: `${tool.name} invoice ${ym(invoiceMonth)}`,
        externalRef: `INV-${tool.key.toUpperCase()}-${ym(invoiceMonth)}`,
      });
    }
  }
  await seedMissedRenewal(app, toolIds.get('marketo')!, now);
  // Media and agency operations without a contract: paid search and paid social, monthly.
  for (const [key, base] of [
    ['gads', 1850000n],
    ['linkedin', 920000n],
  ] as const) {
    for (let i = 23; i >= 0; i--) {
      const invoiceMonth = monthShift(now, -i);
      // Media is invoiced at the month's end: this month's invoice only once that day has come.
      if (`${ym(invoiceMonth)}-28` > today) continue;
      const amountMinor = base + BigInt(((i * 7919) % 250) * 1000);
      await spend.create(who('finance'), {
        date: `${ym(invoiceMonth)}-28`,
        toolId: toolIds.get(key)!,
        costType: CostType.OPERATIONS,
        amount: { amount: formatMinor(amountMinor, 'EUR'), currency: 'EUR' },
        description: `${key === 'gads' ? 'Google Ads' : 'LinkedIn'} media ${ym(invoiceMonth)}`,
        externalRef: `MEDIA-${key.toUpperCase()}-${ym(invoiceMonth)}`,
      });
    }
  }

  const budgets = app.get(BudgetsService);
  const fyStart = config.fiscalYearStartMonth;
  const month = now.getUTCMonth() + 1;
  const currentFy = fyStart === 1 ? now.getUTCFullYear() : month >= fyStart ? now.getUTCFullYear() + 1 : now.getUTCFullYear();
  const budgetFor: Record<string, string> = { digital: '420000', brand: '180000', itplat: '260000', salesops: '90000' };
  for (const fy of [currentFy - 1, currentFy]) {
    for (const costCenter of DEMO_COST_CENTERS) {
      // The budgets are written in the base currency (whole units, so any currency's decimals accept them).
      const amount = formatMinor(
        (parseDecimalToMinor(budgetFor[costCenter.key], config.baseCurrency) * BigInt(fy === currentFy ? 105 : 100)) / 100n,
        config.baseCurrency,
      );
      await budgets.create({
        costCenterId: costCenters.get(costCenter.key)!,
        fiscalYear: fy,
        amount: { amount, currency: config.baseCurrency },
      });
    }
  }

  // card and expense exports (issue 25): matched lines become spend, the rest fills the discovery queue
  await seedDemoSpend(app, who('finance'), now);

  await seedRequests(app, who, costCenters, toolIds, subcategories);
  await seedConditions(app, who, costCenters, subcategories, now);
  await seedIdpUsage(app, who('it'), now);

  logger.log({ msg: 'loaded the demo stack', tools: DEMO_TOOLS.length, integrations: DEMO_INTEGRATIONS.length });
  return DEMO_USERS.map((u) => ({ email: u.email, roles: [...u.roles] }));
}

/** Requests in every state a reviewer meets: draft, at each stage, sent back, approved, rejected. */
async function seedRequests(
  app: INestApplication,
  who: (k: string) => AuthUser,
  costCenters: Map<string, string>,
  toolIds: Map<string, string>,
  subcategories: Map<string, string>,
): Promise<void> {
  const requests = app.get(RequestsService);
  const digital = costCenters.get('digital')!;
  const base = (
    title: string,
    tool: { name: string; vendor: string; sub: string; caps: string[] },
    cost: string,
    extra: Partial<CreateRequestDto> = {},
  ): CreateRequestDto => ({
    type: RequestType.NEW_TOOL,
    title,
    businessCase: `${title}: the team loses hours every week doing this by hand.`,
    proposedTool: { name: tool.name, vendorName: tool.vendor, subcategoryId: subcategories.get(tool.sub)!, capabilities: tool.caps },
    estimatedAnnualCost: { amount: cost, currency: 'EUR' },
    allocation: [{ costCenterId: digital, shareBps: 10000 }],
    ...extra,
  });
  const submit = async (u: AuthUser, id: string) => requests.submit(u, id, (await requests.get(u, id)).version);
  const decide = async (
    u: AuthUser,
    id: string,
    stage: keyof typeof Stage,
    decision: keyof typeof Decision,
    more: Partial<DecideStageDto> = {},
  ) => requests.decide(u, id, { stage: Stage[stage], decision: Decision[decision], version: (await requests.get(u, id)).version, ...more });

  await requests.create(
    who('marketer'),
    base('Creative review tool', { name: 'Filestage', vendor: 'Filestage', sub: 'Collaboration', caps: ['proofing'] }, '6000.00'),
  );

  const atMarketing = await requests.create(
    who('marketer'),
    base(
      'Webinar platform for EMEA',
      { name: 'Livestorm', vendor: 'Livestorm', sub: 'Events, Meetings & Webinars', caps: ['webinars'] },
      '18000.00',
      {
        dataCategories: ['contacts'],
        requiredIntegrations: [{ toolId: toolIds.get('hubspot')!, direction: 'OUTBOUND', dataObjects: ['leads', 'attendance'] }],
      },
    ),
  );
  await submit(who('marketer'), atMarketing.id);

  const atIt = await requests.create(
    who('marketer2'),
    base(
      'Conversation intelligence for SDRs',
      { name: 'Gong', vendor: 'Gong', sub: 'Sales Automation, Enablement & Intelligence', caps: ['call-recording'] },
      '64000.00',
      {
        dataCategories: ['contacts', 'call recordings'],
        requiredIntegrations: [{ toolId: toolIds.get('sfdc')!, direction: 'BIDIRECTIONAL', dataObjects: ['calls', 'opportunities'] }],
      },
    ),
  );
  await submit(who('marketer2'), atIt.id);
  await decide(who('cmo'), atIt.id, 'MARKETING', 'APPROVE', { comment: 'Pipeline quality is our 2027 priority.' });

  const sentBack = await requests.create(
    who('marketer'),
    base('Influencer campaign manager', { name: 'Upfluence', vendor: 'Upfluence', sub: 'Influencers', caps: ['influencers'] }, '24000.00'),
  );
  await submit(who('marketer'), sentBack.id);
  await decide(who('cmo'), sentBack.id, 'MARKETING', 'REQUEST_CHANGES', { comment: 'Add the expected reach and how we measure it.' });

  const approved = await requests.create(
    who('marketer2'),
    base(
      'Product analytics',
      { name: 'Amplitude', vendor: 'Amplitude', sub: 'Mobile & Web Analytics', caps: ['product-analytics'] },
      '21000.00',
      {
        dataCategories: ['behavioural'],
        requiredIntegrations: [{ toolId: toolIds.get('segment')!, direction: 'INBOUND', dataObjects: ['events'] }],
      },
    ),
  );
  await submit(who('marketer2'), approved.id);
  await decide(who('cmo'), approved.id, 'MARKETING', 'APPROVE');
  // The IT stage is approved only on an IT assessment of the round (SPEC §3), in the demo too.
  await requests.assess(who('it'), approved.id, {
    ssoSupported: true,
    securityAttestation: SecurityAttestation.SOC2_AND_ISO27001,
    dpaInPlace: true,
    dataResidency: 'EU',
    integrationMethod: 'NATIVE',
    risks: 'Behavioural events only; Segment hashes identifiers before forwarding.',
    recommendation: 'Approve with EU residency.',
  });
  await decide(who('cio'), approved.id, 'IT', 'APPROVE_WITH_CONDITIONS', {
    conditions: 'EU data residency; no raw IP addresses.',
    comment: 'Segment stays the collection point.',
  });

  const rejected = await requests.create(
    who('marketer'),
    base(
      'Second social listening tool',
      { name: 'Talkwalker', vendor: 'Talkwalker', sub: 'Social Media Marketing & Monitoring', caps: ['social-listening'] },
      '30000.00',
    ),
  );
  await submit(who('marketer'), rejected.id);
  await decide(who('cmo'), rejected.id, 'MARKETING', 'REJECT', { comment: 'Brandwatch already covers listening; consolidate first.' });
}

/**
 * An approval with conditions as items: one past due (the owner's home, the governance report and
 * the reminders show it) and one still open. The API takes no due date in the past, so the demo
 * moves the first one back after the decision.
 */
async function seedConditions(
  app: INestApplication,
  who: (k: string) => AuthUser,
  costCenters: Map<string, string>,
  subcategories: Map<string, string>,
  now: Date,
): Promise<void> {
  const requests = app.get(RequestsService);
  const version = async (u: AuthUser, id: string) => (await requests.get(u, id)).version;
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const request = await requests.create(who('marketer'), {
    type: RequestType.NEW_TOOL,
    title: 'Consent banner for the EU sites',
    businessCase: 'Our cookie banner is hand-made and fails the consent audit.',
    proposedTool: {
      name: 'Cookiebot',
      vendorName: 'Usercentrics',
      subcategoryId: subcategories.get('Collaboration')!,
      capabilities: ['consent-management'],
    },
    estimatedAnnualCost: { amount: '9000.00', currency: 'EUR' },
    allocation: [{ costCenterId: costCenters.get('digital')!, shareBps: 10000 }],
    dataCategories: ['behavioural'],
  });
  await requests.submit(who('marketer'), request.id, await version(who('marketer'), request.id));
  await requests.decide(who('cmo'), request.id, {
    stage: Stage.MARKETING,
    decision: Decision.APPROVE,
    version: await version(who('cmo'), request.id),
  });
  await requests.assess(who('it'), request.id, {
    ssoSupported: false,
    securityAttestation: SecurityAttestation.ISO27001,
    dpaInPlace: false,
    dataResidency: 'EU',
    recommendation: 'Approve once the DPA is signed.',
  });
  const decided = await requests.decide(who('cio'), request.id, {
    stage: Stage.IT,
    decision: Decision.APPROVE_WITH_CONDITIONS,
    version: await version(who('cio'), request.id),
    comment: 'Fine for the EU sites.',
    conditionItems: [
      { text: 'Sign the DPA with Usercentrics before the banner goes live', ownerId: who('marketer').id, dueDate: day(1) },
      { text: 'Record the consent categories in the data inventory', ownerId: who('it').id, dueDate: day(21) },
    ],
  });
  const pastDue = (decided as { conditionItems: { id: string }[] }).conditionItems[0];
  await app
    .get(DataSource)
    .getRepository(RequestCondition)
    .update({ id: pastDue.id }, { dueDate: day(-9) });
}
