/*
 * Known SaaS merchants of the marketing-technology landscape: the product name, the names card and
 * invoice lines use for it (besides the name itself), its domain and the subcategory of the 2022
 * taxonomy (SPEC §9) it usually belongs to. It classifies merchants the catalog does not know (the
 * queue's suggested subcategory) and maps a merchant's billing name to the product ("Zoom Video
 * Communications" → Zoom) before it is matched against the catalog's tools.
 */

export interface KnownSaas {
  name: string;
  domain: string;
  subcategory: string;
  /** Other spellings on statements, written as normaliseMerchant would leave them. */
  aka?: string[];
}

const ANALYTICS = 'Mobile & Web Analytics';
const EMAIL = 'Email Marketing';
const AUTOMATION = 'Marketing Automation & Campaign/Lead Management';
const SOCIAL = 'Social Media Marketing & Monitoring';
const EVENTS = 'Events, Meetings & Webinars';
const COLLAB = 'Collaboration';
const PROJECTS = 'Projects & Workflow';
const CMS = 'CMS & Web Experience Management';
const TESTING = 'Optimization, Personalization & Testing';
const CONTENT = 'Content Marketing';
const DAM = 'DAM & MRM & PIM';
const SEO = 'SEO';
const CRM = 'CRM';
const CHAT = 'Live Chat & Chatbots';
const INTEGRATION = 'iPaaS, Cloud/Data Integration & Tag Management';
const DASHBOARDS = 'Dashboards & Data Visualization';
const INTERACTIVE = 'Interactive Content';
const SALES = 'Sales Automation, Enablement & Intelligence';
const VIDEO = 'Video Marketing';
const CX = 'Customer Experience, Service & Success';
const SEARCH_ADS = 'Search & Social Advertising';
const PRIVACY = 'Governance, Compliance & Privacy';
const CDP = 'Customer Data Platform';
const ATTRIBUTION = 'Marketing Analytics, Performance & Attribution';
const REVIEWS = 'Community & Reviews';

export const KNOWN_SAAS: readonly KnownSaas[] = [
  { name: 'Hotjar', domain: 'hotjar.com', subcategory: ANALYTICS },
  { name: 'Mixpanel', domain: 'mixpanel.com', subcategory: ANALYTICS },
  { name: 'Amplitude', domain: 'amplitude.com', subcategory: ANALYTICS },
  { name: 'Heap', domain: 'heap.io', subcategory: ANALYTICS, aka: ['heap analytics'] },
  { name: 'FullStory', domain: 'fullstory.com', subcategory: ANALYTICS },
  { name: 'Crazy Egg', domain: 'crazyegg.com', subcategory: ANALYTICS, aka: ['crazyegg'] },
  { name: 'Plausible Analytics', domain: 'plausible.io', subcategory: ANALYTICS, aka: ['plausible'] },
  {
    name: 'Mailchimp',
    domain: 'mailchimp.com',
    subcategory: EMAIL,
    aka: ['mailchimp intuit', 'intuit mailchimp', 'the rocket science group'],
  },
  { name: 'Klaviyo', domain: 'klaviyo.com', subcategory: EMAIL },
  { name: 'Brevo', domain: 'brevo.com', subcategory: EMAIL, aka: ['sendinblue'] },
  { name: 'Campaign Monitor', domain: 'campaignmonitor.com', subcategory: EMAIL, aka: ['campaignmonitor'] },
  { name: 'SendGrid', domain: 'sendgrid.com', subcategory: EMAIL },
  { name: 'Litmus', domain: 'litmus.com', subcategory: EMAIL },
  { name: 'HubSpot', domain: 'hubspot.com', subcategory: AUTOMATION, aka: ['hubspot marketing hub', 'hubspot usa'] },
  { name: 'Marketo', domain: 'marketo.com', subcategory: AUTOMATION, aka: ['adobe marketo'] },
  { name: 'ActiveCampaign', domain: 'activecampaign.com', subcategory: AUTOMATION },
  { name: 'Customer.io', domain: 'customer.io', subcategory: AUTOMATION, aka: ['customer', 'customerio'] },
  { name: 'Hootsuite', domain: 'hootsuite.com', subcategory: SOCIAL, aka: ['hootsuite media'] },
  { name: 'Buffer', domain: 'buffer.com', subcategory: SOCIAL, aka: ['buffer publish', 'bufferapp'] },
  { name: 'Sprout Social', domain: 'sproutsocial.com', subcategory: SOCIAL, aka: ['sproutsocial'] },
  { name: 'Later', domain: 'later.com', subcategory: SOCIAL, aka: ['later social', 'later media'] },
  { name: 'Brandwatch', domain: 'brandwatch.com', subcategory: SOCIAL },
  { name: 'Zoom', domain: 'zoom.us', subcategory: EVENTS, aka: ['zoom video communications', 'zoom video', 'zoom us'] },
  { name: 'Livestorm', domain: 'livestorm.co', subcategory: EVENTS },
  { name: 'ON24', domain: 'on24.com', subcategory: EVENTS },
  { name: 'Hopin', domain: 'hopin.com', subcategory: EVENTS },
  { name: 'Eventbrite', domain: 'eventbrite.com', subcategory: EVENTS },
  { name: 'Calendly', domain: 'calendly.com', subcategory: EVENTS },
  { name: 'Demio', domain: 'demio.com', subcategory: EVENTS },
  { name: 'Slack', domain: 'slack.com', subcategory: COLLAB, aka: ['slack technologies'] },
  { name: 'Notion', domain: 'notion.so', subcategory: COLLAB, aka: ['notion labs'] },
  { name: 'Miro', domain: 'miro.com', subcategory: COLLAB, aka: ['realtimeboard'] },
  { name: 'Loom', domain: 'loom.com', subcategory: COLLAB },
  { name: 'Dropbox', domain: 'dropbox.com', subcategory: COLLAB },
  { name: 'Google Workspace', domain: 'workspace.google.com', subcategory: COLLAB, aka: ['google gsuite', 'gsuite', 'google workspace'] },
  { name: 'Asana', domain: 'asana.com', subcategory: PROJECTS },
  { name: 'monday.com', domain: 'monday.com', subcategory: PROJECTS, aka: ['monday'] },
  { name: 'Trello', domain: 'trello.com', subcategory: PROJECTS },
  { name: 'Airtable', domain: 'airtable.com', subcategory: PROJECTS },
  { name: 'ClickUp', domain: 'clickup.com', subcategory: PROJECTS },
  { name: 'Wrike', domain: 'wrike.com', subcategory: PROJECTS },
  { name: 'Webflow', domain: 'webflow.com', subcategory: CMS },
  { name: 'WordPress VIP', domain: 'wordpress.com', subcategory: CMS, aka: ['wordpress', 'automattic', 'wp engine', 'wpengine'] },
  { name: 'Contentful', domain: 'contentful.com', subcategory: CMS },
  { name: 'Squarespace', domain: 'squarespace.com', subcategory: CMS },
  { name: 'Wix', domain: 'wix.com', subcategory: CMS },
  { name: 'Unbounce', domain: 'unbounce.com', subcategory: TESTING },
  { name: 'Optimizely', domain: 'optimizely.com', subcategory: TESTING },
  { name: 'VWO', domain: 'vwo.com', subcategory: TESTING, aka: ['wingify'] },
  { name: 'Instapage', domain: 'instapage.com', subcategory: TESTING },
  { name: 'Canva', domain: 'canva.com', subcategory: CONTENT, aka: ['canva pty'] },
  { name: 'Grammarly', domain: 'grammarly.com', subcategory: CONTENT },
  { name: 'Jasper', domain: 'jasper.ai', subcategory: CONTENT, aka: ['jasper ai'] },
  { name: 'Adobe Creative Cloud', domain: 'adobe.com', subcategory: DAM, aka: ['adobe', 'adobe creative cloud', 'adobe systems'] },
  { name: 'Figma', domain: 'figma.com', subcategory: DAM },
  { name: 'Bynder', domain: 'bynder.com', subcategory: DAM },
  { name: 'Semrush', domain: 'semrush.com', subcategory: SEO },
  { name: 'Ahrefs', domain: 'ahrefs.com', subcategory: SEO, aka: ['ahrefs pte'] },
  { name: 'Moz', domain: 'moz.com', subcategory: SEO },
  { name: 'Screaming Frog', domain: 'screamingfrog.co.uk', subcategory: SEO, aka: ['screamingfrog'] },
  { name: 'Salesforce', domain: 'salesforce.com', subcategory: CRM },
  { name: 'Pipedrive', domain: 'pipedrive.com', subcategory: CRM },
  { name: 'Intercom', domain: 'intercom.com', subcategory: CHAT, aka: ['intercom r and d unlimited'] },
  { name: 'Drift', domain: 'drift.com', subcategory: CHAT },
  { name: 'Zendesk', domain: 'zendesk.com', subcategory: CX },
  { name: 'Zapier', domain: 'zapier.com', subcategory: INTEGRATION },
  { name: 'Make', domain: 'make.com', subcategory: INTEGRATION, aka: ['integromat'] },
  { name: 'Segment', domain: 'segment.com', subcategory: CDP, aka: ['twilio segment'] },
  { name: 'Looker Studio', domain: 'lookerstudio.google.com', subcategory: DASHBOARDS },
  { name: 'Databox', domain: 'databox.com', subcategory: DASHBOARDS },
  { name: 'Tableau', domain: 'tableau.com', subcategory: DASHBOARDS },
  { name: 'Typeform', domain: 'typeform.com', subcategory: INTERACTIVE },
  { name: 'SurveyMonkey', domain: 'surveymonkey.com', subcategory: INTERACTIVE, aka: ['momentive', 'survey monkey'] },
  { name: 'Jotform', domain: 'jotform.com', subcategory: INTERACTIVE },
  { name: 'Gong', domain: 'gong.io', subcategory: SALES },
  { name: 'Outreach', domain: 'outreach.io', subcategory: SALES },
  { name: 'Apollo.io', domain: 'apollo.io', subcategory: SALES, aka: ['apollo'] },
  { name: 'Wistia', domain: 'wistia.com', subcategory: VIDEO },
  { name: 'Vimeo', domain: 'vimeo.com', subcategory: VIDEO },
  { name: 'Vidyard', domain: 'vidyard.com', subcategory: VIDEO },
  { name: 'LinkedIn Ads', domain: 'linkedin.com', subcategory: SEARCH_ADS, aka: ['linkedin', 'linkedin ads'] },
  { name: 'Google Ads', domain: 'ads.google.com', subcategory: SEARCH_ADS, aka: ['google ads', 'google adwords', 'adwords'] },
  { name: 'Meta Ads', domain: 'facebook.com', subcategory: SEARCH_ADS, aka: ['facebk', 'facebook ads', 'facebook', 'meta platforms'] },
  { name: 'OneTrust', domain: 'onetrust.com', subcategory: PRIVACY },
  { name: 'Cookiebot', domain: 'cookiebot.com', subcategory: PRIVACY, aka: ['usercentrics'] },
  { name: 'Triple Whale', domain: 'triplewhale.com', subcategory: ATTRIBUTION },
  { name: 'Trustpilot', domain: 'trustpilot.com', subcategory: REVIEWS },
  { name: 'G2', domain: 'g2.com', subcategory: REVIEWS },
];
