/**
 * The demo stack loaded on an empty embedded database: a mid-size B2B company's martech stack
 * (about 25 tools across the six categories) with the usual findings — two shadow-IT tools, an
 * overlap group of three social tools, silos, a personal-data flow into an unapproved tool, and
 * contracts that auto-renew soon. Names are real products for realism; figures are invented.
 */
import type { IntegrationFrequency, IntegrationMethod, IntegrationStatus } from '@stackgate/integrations';

export const DEMO_PASSWORD = 'demo-password-123';

export const DEMO_USERS = [
  { key: 'marketer', email: 'marketer@demo.stackgate.local', displayName: 'Maya Marketer', roles: ['MARKETER'] },
  { key: 'marketer2', email: 'ops@demo.stackgate.local', displayName: 'Omar Marketing Ops', roles: ['MARKETER'] },
  { key: 'cmo', email: 'cmo@demo.stackgate.local', displayName: 'Claire CMO', roles: ['CMO'] },
  { key: 'it', email: 'it@demo.stackgate.local', displayName: 'Ivan IT Architect', roles: ['IT'] },
  { key: 'cio', email: 'cio@demo.stackgate.local', displayName: 'Chen CIO', roles: ['CIO'] },
  { key: 'finance', email: 'finance@demo.stackgate.local', displayName: 'Fiona Finance', roles: ['FINANCE'] },
  { key: 'admin', email: 'admin@demo.stackgate.local', displayName: 'Ada Admin', roles: ['ADMIN'] },
] as const;

export type DemoUserKey = (typeof DEMO_USERS)[number]['key'];

export const DEMO_COST_CENTERS = [
  { key: 'digital', code: 'MKT-DIGITAL', name: 'Digital Marketing', kind: 'MARKETING', owner: 'cmo' },
  { key: 'brand', code: 'MKT-BRAND', name: 'Brand & Communications', kind: 'MARKETING', owner: 'cmo' },
  { key: 'itplat', code: 'IT-MARTECH', name: 'IT Marketing Platforms', kind: 'IT', owner: 'cio' },
  { key: 'salesops', code: 'OPS-SALES', name: 'Sales Operations', kind: 'OTHER', owner: 'finance' },
] as const;

export type DemoCostCenterKey = (typeof DEMO_COST_CENTERS)[number]['key'];

export interface DemoVendor { name: string; website: string; soc2: boolean; iso27001: boolean; dpaSigned: boolean }
export const DEMO_VENDORS: DemoVendor[] = [
  { name: 'Salesforce', website: 'https://www.salesforce.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'HubSpot', website: 'https://www.hubspot.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'Adobe', website: 'https://www.adobe.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'Twilio', website: 'https://segment.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'Google', website: 'https://marketingplatform.google.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'Contentful', website: 'https://www.contentful.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'Automattic', website: 'https://wpvip.com', soc2: true, iso27001: false, dpaSigned: true },
  { name: 'Hootsuite', website: 'https://www.hootsuite.com', soc2: true, iso27001: false, dpaSigned: true },
  { name: 'Sprout Social', website: 'https://sproutsocial.com', soc2: true, iso27001: false, dpaSigned: false },
  { name: 'Brandwatch', website: 'https://www.brandwatch.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'LinkedIn', website: 'https://business.linkedin.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'The Trade Desk', website: 'https://www.thetradedesk.com', soc2: true, iso27001: false, dpaSigned: true },
  { name: 'ON24', website: 'https://www.on24.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'Optimizely', website: 'https://www.optimizely.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'Hotjar', website: 'https://www.hotjar.com', soc2: false, iso27001: false, dpaSigned: false },
  { name: 'Bynder', website: 'https://www.bynder.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'Semrush', website: 'https://www.semrush.com', soc2: true, iso27001: false, dpaSigned: true },
  { name: 'Snowflake', website: 'https://www.snowflake.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'OneTrust', website: 'https://www.onetrust.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'Zapier', website: 'https://zapier.com', soc2: true, iso27001: false, dpaSigned: true },
  { name: 'Salesloft', website: 'https://www.salesloft.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'Asana', website: 'https://asana.com', soc2: true, iso27001: true, dpaSigned: true },
  { name: 'Gong', website: 'https://www.gong.io', soc2: true, iso27001: true, dpaSigned: true },
];

export interface DemoTool {
  key: string;
  name: string;
  vendor: string;
  subcategory: string;
  description: string;
  capabilities: string[];
  lifecycle: 'ACTIVE' | 'SUNSETTING' | 'APPROVED' | 'PROPOSED';
  itApproval: 'APPROVED' | 'APPROVED_WITH_CONDITIONS' | 'NOT_REVIEWED' | 'REJECTED';
  conditions?: string;
  budgetOwner: DemoCostCenterKey;
  /** Optional split across cost centers (basis points). */
  split?: [DemoCostCenterKey, number][];
  businessOwner: DemoUserKey;
  technicalOwner?: DemoUserKey;
  dataClassification: 'NONE' | 'INTERNAL' | 'PERSONAL' | 'SENSITIVE_PERSONAL';
  sso: boolean;
  region: string;
  sor?: boolean;
  seats?: [number, number];
  /** Contract: amount per billing period (decimal string), currency, billing, start month offset (months before today), term. */
  contract?: { amount: string; currency: 'EUR' | 'USD'; billing: 'MONTHLY' | 'QUARTERLY' | 'ANNUAL'; startMonthsAgo: number; termMonths: number; autoRenew: boolean; noticeDays: number; costType?: 'LICENSE' | 'OPERATIONS' | 'INFRASTRUCTURE' };
}

export const DEMO_TOOLS: DemoTool[] = [
  { key: 'sfdc', name: 'Salesforce Sales Cloud', vendor: 'Salesforce', subcategory: 'CRM', description: 'System of record for accounts, contacts and opportunities.', capabilities: ['crm', 'pipeline', 'lead-management'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'salesops', split: [['salesops', 6000], ['itplat', 4000]], businessOwner: 'marketer2', technicalOwner: 'it', dataClassification: 'PERSONAL', sso: true, region: 'EU', sor: true, seats: [250, 212], contract: { amount: '96000.00', currency: 'EUR', billing: 'ANNUAL', startMonthsAgo: 20, termMonths: 36, autoRenew: true, noticeDays: 90 } },
  { key: 'hubspot', name: 'HubSpot Marketing Hub', vendor: 'HubSpot', subcategory: 'Marketing Automation & Campaign/Lead Management', description: 'Email nurture, landing pages and lead scoring.', capabilities: ['email', 'marketing-automation', 'lead-scoring', 'landing-pages'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'digital', businessOwner: 'marketer', technicalOwner: 'it', dataClassification: 'PERSONAL', sso: true, region: 'EU', seats: [40, 37], contract: { amount: '5400.00', currency: 'EUR', billing: 'MONTHLY', startMonthsAgo: 26, termMonths: 36, autoRenew: true, noticeDays: 60 } },
  { key: 'marketo', name: 'Marketo Engage', vendor: 'Adobe', subcategory: 'Marketing Automation & Campaign/Lead Management', description: 'Legacy automation platform being replaced by HubSpot.', capabilities: ['email', 'marketing-automation'], lifecycle: 'SUNSETTING', itApproval: 'APPROVED', budgetOwner: 'digital', businessOwner: 'marketer', dataClassification: 'PERSONAL', sso: true, region: 'US', seats: [25, 6], contract: { amount: '48000.00', currency: 'USD', billing: 'ANNUAL', startMonthsAgo: 10, termMonths: 12, autoRenew: true, noticeDays: 60 } },
  { key: 'segment', name: 'Segment', vendor: 'Twilio', subcategory: 'Customer Data Platform', description: 'Event collection and audience activation.', capabilities: ['cdp', 'event-tracking', 'audiences'], lifecycle: 'ACTIVE', itApproval: 'APPROVED_WITH_CONDITIONS', conditions: 'EU workspace only; PII fields hashed before forwarding to ad platforms.', budgetOwner: 'itplat', split: [['itplat', 5000], ['digital', 5000]], businessOwner: 'marketer2', technicalOwner: 'it', dataClassification: 'PERSONAL', sso: true, region: 'EU', sor: true, contract: { amount: '15000.00', currency: 'USD', billing: 'QUARTERLY', startMonthsAgo: 18, termMonths: 24, autoRenew: true, noticeDays: 45, costType: 'INFRASTRUCTURE' } },
  { key: 'ga4', name: 'Google Analytics 4', vendor: 'Google', subcategory: 'Mobile & Web Analytics', description: 'Website and app analytics.', capabilities: ['web-analytics', 'attribution'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'digital', businessOwner: 'marketer', dataClassification: 'INTERNAL', sso: true, region: 'EU' },
  { key: 'contentful', name: 'Contentful', vendor: 'Contentful', subcategory: 'CMS & Web Experience Management', description: 'Headless CMS for the corporate site.', capabilities: ['cms', 'content-api'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'brand', split: [['brand', 7000], ['itplat', 3000]], businessOwner: 'marketer', technicalOwner: 'it', dataClassification: 'INTERNAL', sso: true, region: 'EU', seats: [30, 24], contract: { amount: '36000.00', currency: 'EUR', billing: 'ANNUAL', startMonthsAgo: 14, termMonths: 24, autoRenew: true, noticeDays: 60 } },
  { key: 'wpvip', name: 'WordPress VIP', vendor: 'Automattic', subcategory: 'CMS & Web Experience Management', description: 'Blog and campaign microsites.', capabilities: ['cms', 'blog'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'brand', businessOwner: 'marketer', dataClassification: 'INTERNAL', sso: false, region: 'US', contract: { amount: '2000.00', currency: 'USD', billing: 'MONTHLY', startMonthsAgo: 22, termMonths: 24, autoRenew: true, noticeDays: 30 } },
  { key: 'hootsuite', name: 'Hootsuite', vendor: 'Hootsuite', subcategory: 'Social Media Marketing & Monitoring', description: 'Social publishing calendar.', capabilities: ['social-publishing', 'social-listening'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'brand', businessOwner: 'marketer', dataClassification: 'INTERNAL', sso: true, region: 'EU', seats: [15, 11], contract: { amount: '1250.00', currency: 'EUR', billing: 'MONTHLY', startMonthsAgo: 24, termMonths: 36, autoRenew: true, noticeDays: 30 } },
  { key: 'sprout', name: 'Sprout Social', vendor: 'Sprout Social', subcategory: 'Social Media Marketing & Monitoring', description: 'Bought by the regional team on a credit card.', capabilities: ['social-publishing', 'social-listening'], lifecycle: 'ACTIVE', itApproval: 'NOT_REVIEWED', budgetOwner: 'brand', businessOwner: 'marketer2', dataClassification: 'PERSONAL', sso: false, region: 'US', seats: [10, 4], contract: { amount: '9600.00', currency: 'USD', billing: 'ANNUAL', startMonthsAgo: 10, termMonths: 12, autoRenew: true, noticeDays: 30 } },
  { key: 'brandwatch', name: 'Brandwatch', vendor: 'Brandwatch', subcategory: 'Social Media Marketing & Monitoring', description: 'Consumer intelligence and listening.', capabilities: ['social-listening', 'consumer-research'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'brand', businessOwner: 'cmo', dataClassification: 'INTERNAL', sso: true, region: 'EU', contract: { amount: '7500.00', currency: 'EUR', billing: 'QUARTERLY', startMonthsAgo: 16, termMonths: 24, autoRenew: false, noticeDays: 60 } },
  { key: 'gads', name: 'Google Ads', vendor: 'Google', subcategory: 'Search & Social Advertising', description: 'Paid search; media spend is invoiced monthly.', capabilities: ['paid-search', 'audiences'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'digital', businessOwner: 'marketer', dataClassification: 'INTERNAL', sso: true, region: 'EU' },
  { key: 'linkedin', name: 'LinkedIn Campaign Manager', vendor: 'LinkedIn', subcategory: 'Search & Social Advertising', description: 'Paid social for account-based campaigns.', capabilities: ['paid-social', 'audiences'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'digital', businessOwner: 'marketer', dataClassification: 'PERSONAL', sso: false, region: 'US' },
  { key: 'ttd', name: 'The Trade Desk', vendor: 'The Trade Desk', subcategory: 'Display & Programmatic Advertising', description: 'Programmatic display buying.', capabilities: ['programmatic', 'audiences'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'digital', businessOwner: 'marketer2', dataClassification: 'INTERNAL', sso: false, region: 'US', contract: { amount: '4000.00', currency: 'USD', billing: 'MONTHLY', startMonthsAgo: 12, termMonths: 24, autoRenew: true, noticeDays: 30, costType: 'OPERATIONS' } },
  { key: 'on24', name: 'ON24', vendor: 'ON24', subcategory: 'Events, Meetings & Webinars', description: 'Webinar platform for demand generation.', capabilities: ['webinars', 'lead-capture'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'digital', businessOwner: 'marketer', dataClassification: 'PERSONAL', sso: true, region: 'EU', seats: [12, 9], contract: { amount: '42000.00', currency: 'EUR', billing: 'ANNUAL', startMonthsAgo: 11, termMonths: 12, autoRenew: true, noticeDays: 30 } },
  { key: 'optimizely', name: 'Optimizely', vendor: 'Optimizely', subcategory: 'Optimization, Personalization & Testing', description: 'A/B testing and personalization.', capabilities: ['ab-testing', 'personalization'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'digital', businessOwner: 'marketer2', dataClassification: 'INTERNAL', sso: true, region: 'EU', contract: { amount: '30000.00', currency: 'EUR', billing: 'ANNUAL', startMonthsAgo: 7, termMonths: 12, autoRenew: true, noticeDays: 60 } },
  { key: 'hotjar', name: 'Hotjar', vendor: 'Hotjar', subcategory: 'Optimization, Personalization & Testing', description: 'Heatmaps and session recordings, added by the web team.', capabilities: ['heatmaps', 'session-recording'], lifecycle: 'ACTIVE', itApproval: 'NOT_REVIEWED', budgetOwner: 'digital', businessOwner: 'marketer', dataClassification: 'PERSONAL', sso: false, region: 'EU', contract: { amount: '213.00', currency: 'EUR', billing: 'MONTHLY', startMonthsAgo: 9, termMonths: 12, autoRenew: true, noticeDays: 0 } },
  { key: 'bynder', name: 'Bynder', vendor: 'Bynder', subcategory: 'DAM & MRM & PIM', description: 'Digital asset management for brand assets.', capabilities: ['dam', 'brand-portal'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'brand', businessOwner: 'cmo', dataClassification: 'INTERNAL', sso: true, region: 'EU', seats: [60, 31], contract: { amount: '27000.00', currency: 'EUR', billing: 'ANNUAL', startMonthsAgo: 5, termMonths: 12, autoRenew: true, noticeDays: 60 } },
  { key: 'semrush', name: 'Semrush', vendor: 'Semrush', subcategory: 'SEO', description: 'SEO research and rank tracking.', capabilities: ['seo', 'keyword-research'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'digital', businessOwner: 'marketer', dataClassification: 'NONE', sso: false, region: 'US', seats: [5, 5], contract: { amount: '4400.00', currency: 'USD', billing: 'ANNUAL', startMonthsAgo: 3, termMonths: 12, autoRenew: true, noticeDays: 14 } },
  { key: 'tableau', name: 'Tableau', vendor: 'Salesforce', subcategory: 'Dashboards & Data Visualization', description: 'Marketing performance dashboards.', capabilities: ['dashboards', 'bi'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'itplat', businessOwner: 'cmo', technicalOwner: 'it', dataClassification: 'INTERNAL', sso: true, region: 'EU', seats: [20, 18], contract: { amount: '18000.00', currency: 'EUR', billing: 'ANNUAL', startMonthsAgo: 8, termMonths: 12, autoRenew: true, noticeDays: 60 } },
  { key: 'snowflake', name: 'Snowflake', vendor: 'Snowflake', subcategory: 'Business/Customer Intelligence & Data Science', description: 'Marketing data warehouse.', capabilities: ['data-warehouse', 'bi'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'itplat', businessOwner: 'cio', technicalOwner: 'it', dataClassification: 'PERSONAL', sso: true, region: 'EU', sor: true, contract: { amount: '6000.00', currency: 'EUR', billing: 'MONTHLY', startMonthsAgo: 24, termMonths: 36, autoRenew: false, noticeDays: 90, costType: 'INFRASTRUCTURE' } },
  { key: 'onetrust', name: 'OneTrust', vendor: 'OneTrust', subcategory: 'Governance, Compliance & Privacy', description: 'Consent management for all web properties.', capabilities: ['consent', 'privacy'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'itplat', businessOwner: 'cio', dataClassification: 'PERSONAL', sso: true, region: 'EU', contract: { amount: '22000.00', currency: 'EUR', billing: 'ANNUAL', startMonthsAgo: 13, termMonths: 24, autoRenew: true, noticeDays: 90 } },
  { key: 'zapier', name: 'Zapier', vendor: 'Zapier', subcategory: 'iPaaS, Cloud/Data Integration & Tag Management', description: 'Lightweight automations between marketing tools.', capabilities: ['ipaas', 'automation'], lifecycle: 'ACTIVE', itApproval: 'APPROVED_WITH_CONDITIONS', conditions: 'No personal data in Zaps without an approved data flow.', budgetOwner: 'digital', businessOwner: 'marketer2', dataClassification: 'INTERNAL', sso: true, region: 'US', contract: { amount: '599.00', currency: 'USD', billing: 'MONTHLY', startMonthsAgo: 15, termMonths: 24, autoRenew: true, noticeDays: 30 } },
  { key: 'drift', name: 'Drift', vendor: 'Salesloft', subcategory: 'Live Chat & Chatbots', description: 'Website chat for inbound leads.', capabilities: ['live-chat', 'chatbot', 'lead-capture'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'digital', businessOwner: 'marketer', dataClassification: 'PERSONAL', sso: true, region: 'US', seats: [8, 3], contract: { amount: '2500.00', currency: 'USD', billing: 'MONTHLY', startMonthsAgo: 6, termMonths: 12, autoRenew: true, noticeDays: 30 } },
  { key: 'salesloft', name: 'Salesloft', vendor: 'Salesloft', subcategory: 'Sales Automation, Enablement & Intelligence', description: 'Sales cadences and follow-up of marketing-qualified leads.', capabilities: ['sales-engagement', 'cadences'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'salesops', businessOwner: 'marketer2', technicalOwner: 'it', dataClassification: 'PERSONAL', sso: true, region: 'EU', seats: [60, 51], contract: { amount: '2900.00', currency: 'USD', billing: 'MONTHLY', startMonthsAgo: 15, termMonths: 24, autoRenew: true, noticeDays: 60 } },
  { key: 'asana', name: 'Asana', vendor: 'Asana', subcategory: 'Projects & Workflow', description: 'Campaign planning and creative requests.', capabilities: ['project-management', 'workflow'], lifecycle: 'ACTIVE', itApproval: 'APPROVED', budgetOwner: 'brand', businessOwner: 'cmo', dataClassification: 'INTERNAL', sso: true, region: 'EU', seats: [80, 64], contract: { amount: '14400.00', currency: 'EUR', billing: 'ANNUAL', startMonthsAgo: 4, termMonths: 12, autoRenew: true, noticeDays: 30 } },
];

/** [source, target, data objects, method, frequency, status, personal data] */
export const DEMO_INTEGRATIONS: [string, string, string[], keyof typeof IntegrationMethod, keyof typeof IntegrationFrequency, keyof typeof IntegrationStatus, boolean][] = [
  ['hubspot', 'sfdc', ['leads', 'contacts'], 'NATIVE', 'REALTIME', 'ACTIVE', true],
  ['sfdc', 'hubspot', ['contacts', 'opportunities'], 'NATIVE', 'HOURLY', 'ACTIVE', true],
  ['marketo', 'sfdc', ['leads'], 'NATIVE', 'HOURLY', 'ACTIVE', true],
  ['segment', 'ga4', ['events'], 'NATIVE', 'REALTIME', 'ACTIVE', false],
  ['segment', 'snowflake', ['events', 'audiences'], 'NATIVE', 'HOURLY', 'ACTIVE', true],
  ['segment', 'hubspot', ['audiences'], 'API', 'DAILY', 'ACTIVE', true],
  ['segment', 'hotjar', ['events'], 'API', 'REALTIME', 'ACTIVE', true],
  ['sfdc', 'snowflake', ['accounts', 'opportunities'], 'FILE', 'DAILY', 'ACTIVE', true],
  ['snowflake', 'tableau', ['spend', 'pipeline'], 'NATIVE', 'DAILY', 'ACTIVE', false],
  ['ga4', 'gads', ['audiences', 'conversions'], 'NATIVE', 'DAILY', 'ACTIVE', false],
  ['contentful', 'optimizely', ['content'], 'API', 'REALTIME', 'ACTIVE', false],
  ['on24', 'hubspot', ['leads', 'attendance'], 'NATIVE', 'DAILY', 'ACTIVE', true],
  ['linkedin', 'hubspot', ['leads'], 'IPAAS', 'HOURLY', 'ACTIVE', true],
  ['onetrust', 'segment', ['consent'], 'API', 'REALTIME', 'ACTIVE', true],
  ['brandwatch', 'snowflake', ['mentions'], 'FILE', 'WEEKLY', 'ACTIVE', false],
  ['ttd', 'snowflake', ['spend'], 'FILE', 'DAILY', 'BROKEN', false],
  ['drift', 'sfdc', ['leads'], 'NATIVE', 'REALTIME', 'PLANNED', true],
  ['salesloft', 'sfdc', ['activities', 'opportunities'], 'NATIVE', 'HOURLY', 'ACTIVE', true],
];
