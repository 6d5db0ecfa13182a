import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys, uuidv7 } from '@stackgate/platform';

/** The 2022 Marketing Technology Landscape taxonomy (SPEC §9): 6 categories, 49 subcategories. */
export const TAXONOMY_2022: [string, string[]][] = [
  [
    'Advertising & Promotion',
    [
      'Display & Programmatic Advertising',
      'Mobile Marketing',
      'Native/Content Advertising',
      'PR',
      'Print',
      'Search & Social Advertising',
      'Video Advertising',
    ],
  ],
  [
    'Content & Experience',
    [
      'Content Marketing',
      'CMS & Web Experience Management',
      'DAM & MRM & PIM',
      'Email Marketing',
      'Interactive Content',
      'Marketing Automation & Campaign/Lead Management',
      'Mobile Apps',
      'Optimization, Personalization & Testing',
      'SEO',
      'Video Marketing',
    ],
  ],
  [
    'Social & Relationships',
    [
      'ABM',
      'Call Analytics & Management',
      'Customer Experience, Service & Success',
      'Influencers',
      'CRM',
      'Advocacy, Loyalty & Referrals',
      'Community & Reviews',
      'Events, Meetings & Webinars',
      'Social Media Marketing & Monitoring',
      'Live Chat & Chatbots',
    ],
  ],
  [
    'Commerce & Sales',
    [
      'Retail, Proximity & IoT Marketing',
      'Affiliate Marketing & Management',
      'Sales Automation, Enablement & Intelligence',
      'eCommerce Platforms & Carts',
      'eCommerce Marketing',
      'Channel, Partner & Local Marketing',
    ],
  ],
  [
    'Data',
    [
      'Audience/Marketing Data & Data Enhancement',
      'iPaaS, Cloud/Data Integration & Tag Management',
      'Business/Customer Intelligence & Data Science',
      'DMP',
      'Dashboards & Data Visualization',
      'Governance, Compliance & Privacy',
      'Mobile & Web Analytics',
      'Customer Data Platform',
      'Marketing Analytics, Performance & Attribution',
    ],
  ],
  [
    'Management',
    [
      'Agile & Lean Management',
      'Collaboration',
      'Talent Management',
      'Budgeting & Finance',
      'Projects & Workflow',
      'Product Management',
      'Vendor Analysis & Management',
    ],
  ],
];

/** Cost centers, the taxonomy, vendors, tools with capabilities, and integrations. */
export class Catalog1767000100000 implements MigrationInterface {
  name = 'Catalog1767000100000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'cost_centers',
        columns: [
          col.id(),
          col.varchar('code', 40),
          col.varchar('name', 120),
          col.varchar('kind', 20),
          col.uuid('ownerId', true),
          col.bool('active', true),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [
          new TableIndex({ name: 'UQ_cost_centers_code', columnNames: ['code'], isUnique: true }),
          new TableIndex({ name: 'IDX_cost_centers_kind', columnNames: ['kind'] }),
        ],
        foreignKeys: foreignKeys([fk('ownerId', 'users', 'SET NULL')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'categories',
        columns: [
          col.id(),
          col.varchar('name', 120),
          col.varchar('nameKey', 120),
          col.uuid('parentId', true),
          col.bool('active', true),
          col.int('sortOrder', false, 0),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [
          new TableIndex({ name: 'UQ_categories_nameKey', columnNames: ['nameKey'], isUnique: true }),
          new TableIndex({ name: 'IDX_categories_parent', columnNames: ['parentId', 'sortOrder'] }),
        ],
        foreignKeys: foreignKeys([fk('parentId', 'categories')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'vendors',
        columns: [
          col.id(),
          col.varchar('name', 200),
          col.varchar('nameKey', 200),
          col.varchar('website', 500, true),
          col.bool('soc2'),
          col.bool('iso27001'),
          col.bool('dpaSigned'),
          col.text('notes'),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [new TableIndex({ name: 'UQ_vendors_nameKey', columnNames: ['nameKey'], isUnique: true })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'tools',
        columns: [
          col.id(),
          col.varchar('name', 200),
          col.varchar('nameKey', 200),
          col.uuid('vendorId'),
          col.uuid('subcategoryId'),
          col.uuid('categoryId'),
          col.text('description'),
          { ...col.text('capabilities'), isNullable: false },
          col.varchar('lifecycle', 20),
          col.varchar('itApprovalStatus', 30),
          col.text('itApprovalRationale'),
          col.text('itApprovalConditions'),
          col.uuid('itApprovalDecidedById', true),
          col.datetime('itApprovalDecidedAt', true),
          col.uuid('businessOwnerId', true),
          col.uuid('technicalOwnerId', true),
          col.uuid('budgetOwnerId'),
          col.text('allocation'),
          col.varchar('dataClassification', 30),
          col.bool('ssoEnabled'),
          col.varchar('hostingRegion', 60, true),
          col.bool('isSystemOfRecord'),
          col.int('licensedSeats', true),
          col.int('activeUsers', true),
          col.varchar('website', 500, true),
          col.bool('shadowIt'),
          col.bigint('annualCostMinor', true),
          col.varchar('annualCostCurrency', 3, true),
          col.uuid('createdById', true),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [
          new TableIndex({ name: 'UQ_tools_nameKey', columnNames: ['nameKey'], isUnique: true }),
          new TableIndex({ name: 'IDX_tools_vendor', columnNames: ['vendorId'] }),
          new TableIndex({ name: 'IDX_tools_subcategory', columnNames: ['subcategoryId'] }),
          new TableIndex({ name: 'IDX_tools_category', columnNames: ['categoryId'] }),
          new TableIndex({ name: 'IDX_tools_lifecycle', columnNames: ['lifecycle'] }),
          new TableIndex({ name: 'IDX_tools_itApproval', columnNames: ['itApprovalStatus'] }),
          new TableIndex({ name: 'IDX_tools_budgetOwner', columnNames: ['budgetOwnerId'] }),
          new TableIndex({ name: 'IDX_tools_businessOwner', columnNames: ['businessOwnerId'] }),
          new TableIndex({ name: 'IDX_tools_shadowIt', columnNames: ['shadowIt'] }),
        ],
        foreignKeys: foreignKeys([
          fk('vendorId', 'vendors'),
          fk('subcategoryId', 'categories'),
          fk('categoryId', 'categories'),
          fk('businessOwnerId', 'users', 'SET NULL'),
          fk('technicalOwnerId', 'users', 'SET NULL'),
          fk('budgetOwnerId', 'cost_centers'),
        ]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'tool_capabilities',
        columns: [
          { ...col.uuid('toolId'), isPrimary: true },
          { ...col.varchar('capability', 100), isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'IDX_tool_capabilities_capability', columnNames: ['capability'] })],
        foreignKeys: foreignKeys([fk('toolId', 'tools', 'CASCADE')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'integrations',
        columns: [
          col.id(),
          col.uuid('sourceToolId'),
          col.uuid('targetToolId'),
          { ...col.text('dataObjects'), isNullable: false },
          col.varchar('method', 20),
          col.varchar('frequency', 20),
          col.varchar('status', 20),
          col.bool('carriesPersonalData'),
          col.uuid('ownerId', true),
          col.text('notes'),
          col.varchar('liveKey', 120, true),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [
          new TableIndex({ name: 'UQ_integrations_liveKey', columnNames: ['liveKey'], isUnique: true }),
          new TableIndex({ name: 'IDX_integrations_source', columnNames: ['sourceToolId', 'status'] }),
          new TableIndex({ name: 'IDX_integrations_target', columnNames: ['targetToolId', 'status'] }),
          new TableIndex({ name: 'IDX_integrations_status', columnNames: ['status'] }),
        ],
        foreignKeys: foreignKeys([fk('sourceToolId', 'tools'), fk('targetToolId', 'tools'), fk('ownerId', 'users', 'SET NULL')]),
      }),
    );

    const now = new Date();
    let order = 0;
    for (const [category, subs] of TAXONOMY_2022) {
      const parentId = uuidv7();
      await qr.manager.insert('categories', {
        id: parentId,
        name: category,
        nameKey: category.toLowerCase(),
        parentId: null,
        active: true,
        sortOrder: order++,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      let subOrder = 0;
      for (const sub of subs) {
        await qr.manager.insert('categories', {
          id: uuidv7(),
          name: sub,
          nameKey: sub.toLowerCase(),
          parentId,
          active: true,
          sortOrder: subOrder++,
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
      }
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['integrations', 'tool_capabilities', 'tools', 'vendors', 'categories', 'cost_centers']) await qr.dropTable(table);
  }
}
