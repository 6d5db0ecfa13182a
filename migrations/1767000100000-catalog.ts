import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys, uuidv7 } from '@stackgate/platform';

/** The 2022 Marketing Technology Landscape taxonomy (SPEC §9): 6 categories, 49 subcategories. */
export const TAXONOMY_2022: [string, string[]][] = [
  ['Advertising & Promotion', ['Display & Programmatic Advertising', 'Mobile Marketing', 'Native/Content Advertising', 'PR', 'Print', 'Search & Social Advertising', 'Video Advertising']],
  ['Content & Experience', ['Content Marketing', 'CMS & Web Experience Management', 'DAM & MRM & PIM', 'Email Marketing', 'Interactive Content', 'Marketing Automation & Campaign/Lead Management', 'Mobile Apps', 'Optimization, Personalization & Testing', 'SEO', 'Video Marketing']],
  ['Social & Relationships', ['ABM', 'Call Analytics & Management', 'Customer Experience, Service & Success', 'Influencers', 'CRM', 'Advocacy, Loyalty & Referrals', 'Community & Reviews', 'Events, Meetings & Webinars', 'Social Media Marketing & Monitoring', 'Live Chat & Chatbots']],
  ['Commerce & Sales', ['Retail, Proximity & IoT Marketing', 'Affiliate Marketing & Management', 'Sales Automation, Enablement & Intelligence', 'eCommerce Platforms & Carts', 'eCommerce Marketing', 'Channel, Partner & Local Marketing']],
  ['Data', ['Audience/Marketing Data & Data Enhancement', 'iPaaS, Cloud/Data Integration & Tag Management', 'Business/Customer Intelligence & Data Science', 'DMP', 'Dashboards & Data Visualization', 'Governance, Compliance & Privacy', 'Mobile & Web Analytics', 'Customer Data Platform', 'Marketing Analytics, Performance & Attribution']],
  ['Management', ['Agile & Lean Management', 'Collaboration', 'Talent Management', 'Budgeting & Finance', 'Projects & Workflow', 'Product Management', 'Vendor Analysis & Management']],
];

/** Cost centers, the taxonomy, vendors, tools with capabilities, and integrations. */
export class Catalog1767000100000 implements MigrationInterface {
  name = 'Catalog1767000100000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.createTable(new Table({
      name: 'cost_centers',
      columns: [c.id(), c.varchar('code', 40), c.varchar('name', 120), c.varchar('kind', 20), c.uuid('ownerId', true), c.bool('active', true), ...c.timestamps(), c.version()],
      indices: [new TableIndex({ name: 'UQ_cost_centers_code', columnNames: ['code'], isUnique: true }), new TableIndex({ name: 'IDX_cost_centers_kind', columnNames: ['kind'] })],
      foreignKeys: foreignKeys([fk('ownerId', 'users', 'SET NULL')]),
    }));
    await qr.createTable(new Table({
      name: 'categories',
      columns: [c.id(), c.varchar('name', 120), c.varchar('nameKey', 120), c.uuid('parentId', true), c.bool('active', true), c.int('sortOrder', false, 0), ...c.timestamps(), c.version()],
      indices: [new TableIndex({ name: 'UQ_categories_nameKey', columnNames: ['nameKey'], isUnique: true }), new TableIndex({ name: 'IDX_categories_parent', columnNames: ['parentId', 'sortOrder'] })],
      foreignKeys: foreignKeys([fk('parentId', 'categories')]),
    }));
    await qr.createTable(new Table({
      name: 'vendors',
      columns: [c.id(), c.varchar('name', 200), c.varchar('nameKey', 200), c.varchar('website', 500, true), c.bool('soc2'), c.bool('iso27001'), c.bool('dpaSigned'), c.text('notes'), ...c.timestamps(), c.version()],
      indices: [new TableIndex({ name: 'UQ_vendors_nameKey', columnNames: ['nameKey'], isUnique: true })],
    }));
    await qr.createTable(new Table({
      name: 'tools',
      columns: [
        c.id(), c.varchar('name', 200), c.varchar('nameKey', 200), c.uuid('vendorId'), c.uuid('subcategoryId'), c.uuid('categoryId'),
        c.text('description'), { ...c.text('capabilities'), isNullable: false }, c.varchar('lifecycle', 20), c.varchar('itApprovalStatus', 30),
        c.text('itApprovalRationale'), c.text('itApprovalConditions'), c.uuid('itApprovalDecidedById', true), c.datetime('itApprovalDecidedAt', true),
        c.uuid('businessOwnerId', true), c.uuid('technicalOwnerId', true), c.uuid('budgetOwnerId'), c.text('allocation'),
        c.varchar('dataClassification', 30), c.bool('ssoEnabled'), c.varchar('hostingRegion', 60, true), c.bool('isSystemOfRecord'),
        c.int('licensedSeats', true), c.int('activeUsers', true), c.varchar('website', 500, true), c.bool('shadowIt'),
        c.bigint('annualCostMinor', true), c.varchar('annualCostCurrency', 3, true), c.uuid('createdById', true),
        ...c.timestamps(), c.version(),
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
        fk('vendorId', 'vendors'), fk('subcategoryId', 'categories'), fk('categoryId', 'categories'),
        fk('businessOwnerId', 'users', 'SET NULL'), fk('technicalOwnerId', 'users', 'SET NULL'), fk('budgetOwnerId', 'cost_centers'),
      ]),
    }));
    await qr.createTable(new Table({
      name: 'tool_capabilities',
      columns: [{ ...c.uuid('toolId'), isPrimary: true }, { ...c.varchar('capability', 100), isPrimary: true }],
      indices: [new TableIndex({ name: 'IDX_tool_capabilities_capability', columnNames: ['capability'] })],
      foreignKeys: foreignKeys([fk('toolId', 'tools', 'CASCADE')]),
    }));
    await qr.createTable(new Table({
      name: 'integrations',
      columns: [
        c.id(), c.uuid('sourceToolId'), c.uuid('targetToolId'), { ...c.text('dataObjects'), isNullable: false }, c.varchar('method', 20),
        c.varchar('frequency', 20), c.varchar('status', 20), c.bool('carriesPersonalData'), c.uuid('ownerId', true), c.text('notes'),
        c.varchar('liveKey', 120, true), ...c.timestamps(), c.version(),
      ],
      indices: [
        new TableIndex({ name: 'UQ_integrations_liveKey', columnNames: ['liveKey'], isUnique: true }),
        new TableIndex({ name: 'IDX_integrations_source', columnNames: ['sourceToolId', 'status'] }),
        new TableIndex({ name: 'IDX_integrations_target', columnNames: ['targetToolId', 'status'] }),
        new TableIndex({ name: 'IDX_integrations_status', columnNames: ['status'] }),
      ],
      foreignKeys: foreignKeys([fk('sourceToolId', 'tools'), fk('targetToolId', 'tools'), fk('ownerId', 'users', 'SET NULL')]),
    }));

    const now = new Date();
    let order = 0;
    for (const [category, subs] of TAXONOMY_2022) {
      const parentId = uuidv7();
      await qr.manager.insert('categories', { id: parentId, name: category, nameKey: category.toLowerCase(), parentId: null, active: true, sortOrder: order++, createdAt: now, updatedAt: now, version: 1 });
      let subOrder = 0;
      for (const sub of subs) {
        await qr.manager.insert('categories', { id: uuidv7(), name: sub, nameKey: sub.toLowerCase(), parentId, active: true, sortOrder: subOrder++, createdAt: now, updatedAt: now, version: 1 });
      }
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['integrations', 'tool_capabilities', 'tools', 'vendors', 'categories', 'cost_centers']) await qr.dropTable(t);
  }
}
