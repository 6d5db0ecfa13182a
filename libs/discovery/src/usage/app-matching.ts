/*
 * Identity-provider app → catalog tool: the one place that decides it. An app matches a live tool when its
 * normalised name is the tool's normalised name, else the normalised name of the tool's vendor (when that vendor
 * has exactly one live tool). Normalising lowers the case, drops trademark signs and the suffixes identity
 * providers and vendors add ("Inc", "Ltd", "(SAML)", "- SSO", "OIDC"…), and collapses spaces and punctuation.
 */

/** What a tool offers to matching (CatalogQueries.liveToolsForMatching). */
export interface ToolForMatching {
  id: string;
  name: string;
  vendorName: string | null;
}

export type AppMatchBasis = 'TOOL_NAME' | 'VENDOR_NAME';

export interface AppMatch {
  toolId: string;
  toolName: string;
  by: AppMatchBasis;
}

/** Sign-on protocol words identity providers append to an app's label. */
const PROTOCOL_WORDS = ['saml', 'saml2', 'saml 2.0', 'sso', 'oidc', 'openid connect', 'scim', 'oauth', 'swa', 'single sign-on'];
/** Company-form words vendors append to their names. */
const COMPANY_WORDS = ['inc', 'incorporated', 'llc', 'ltd', 'limited', 'gmbh', 'corp', 'corporation', 'co', 'plc', 'sa', 'ag', 'bv'];

const PROTOCOL_GROUP = PROTOCOL_WORDS.map((w) => w.replace(/[.]/g, '\\.')).join('|');
/** "(SAML)", "[SSO]", "(SAML 2.0)" anywhere. */
const BRACKETED = new RegExp(`[([]\\s*(?:${PROTOCOL_GROUP})\\s*[)\\]]`, 'gi');
/** " - SSO", " – SAML", " SSO" at the end. */
const TRAILING_PROTOCOL = new RegExp(`(?:\\s*[-–—:|]\\s*|\\s+)(?:${PROTOCOL_GROUP})$`, 'i');
const TRAILING_COMPANY = new RegExp(`(?:,?\\s+)(?:${COMPANY_WORDS.join('|')})\\.?$`, 'i');

/** The key an app or tool name is compared by ('' when nothing is left). */
export function normaliseAppName(name: string): string {
  let key = name
    .replace(/[™®©℠]/g, '')
    .normalize('NFKC')
    .replace(BRACKETED, ' ')
    .trim();
  // Suffixes come in any order ("Acme, Inc. - SSO"): strip until nothing changes.
  for (let previous = ''; previous !== key;) {
    previous = key;
    key = key.replace(TRAILING_PROTOCOL, '').replace(TRAILING_COMPANY, '').trim();
  }
  return key
    .toLowerCase()
    .replace(/[\s._,;:'"!?/\\|-]+/g, ' ')
    .trim();
}

/** Builds the matcher for a catalog once; `match` is then a map look-up per app. */
export function appMatcher(tools: readonly ToolForMatching[]): (appName: string) => AppMatch | null {
  const byName = new Map<string, ToolForMatching>();
  const byVendor = new Map<string, ToolForMatching[]>();
  for (const tool of tools) {
    const key = normaliseAppName(tool.name);
    if (key && !byName.has(key)) byName.set(key, tool);
    const vendorKey = tool.vendorName ? normaliseAppName(tool.vendorName) : '';
    if (vendorKey) byVendor.set(vendorKey, [...(byVendor.get(vendorKey) ?? []), tool]);
  }
  return (appName) => {
    const key = normaliseAppName(appName);
    if (!key) return null;
    const named = byName.get(key);
    if (named) return { toolId: named.id, toolName: named.name, by: 'TOOL_NAME' };
    const ofVendor = byVendor.get(key);
    // A vendor with several live tools (Atlassian: Jira, Confluence) says nothing about which one the app is.
    if (ofVendor?.length === 1) return { toolId: ofVendor[0].id, toolName: ofVendor[0].name, by: 'VENDOR_NAME' };
    return null;
  };
}
