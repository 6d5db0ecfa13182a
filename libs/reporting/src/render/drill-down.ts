import Handlebars from 'handlebars';
import { UUID_PATTERN } from '@stackgate/platform';

/** What a report row can name, and so open. */
export type DrillKind = 'tool' | 'vendor' | 'costCenter' | 'category' | 'subcategory';

const MONTH = /^(\d{4}-\d{2})(?:-\d{2})?$/;

/**
 * Where a report row leads in the web UI: a tool to its page; a vendor, category or subcategory to
 * the catalog filtered by it; a cost center to its spend entries (the report's months when it has
 * them). Anything else (a budget kind, a month, a cost type, a missing id) leads nowhere.
 */
export function drillHref(kind: string, id: unknown, range: { from?: unknown; to?: unknown } = {}): string | null {
  if (typeof id !== 'string' || !UUID_PATTERN.test(id)) return null;
  switch (kind) {
    case 'tool':
      return `/tools/${id}`;
    case 'vendor':
      return `/catalog?vendorId=${id}`;
    case 'category':
      return `/catalog?categoryId=${id}`;
    case 'subcategory':
      return `/catalog?subcategoryId=${id}`;
    case 'costCenter': {
      const query = new URLSearchParams({ costCenterId: id });
      const from = typeof range.from === 'string' ? MONTH.exec(range.from)?.[1] : undefined;
      const to = typeof range.to === 'string' ? MONTH.exec(range.to)?.[1] : undefined;
      if (from) query.set('from', from);
      if (to) query.set('to', to);
      return `/finance/spend?${query.toString()}`;
    }
    default:
      return null;
  }
}

/**
 * The `drill` helper of the report pages: `{{drill "tool" tool.id tool.name}}` is a link in the web
 * UI's rendering (context `links: true`) and the plain, escaped name in the printable page, the CSV
 * and the JSON (which never pass through it).
 */
export function drillHelper(kind: string, id: unknown, text: unknown, options: Handlebars.HelperOptions): Handlebars.SafeString | string {
  const label = typeof text === 'string' || typeof text === 'number' ? String(text) || '—' : '—';
  const root = (options.data as { root?: { links?: boolean; report?: { from?: unknown; to?: unknown } } } | undefined)?.root;
  const href = root?.links ? drillHref(kind, id, root.report ?? {}) : null;
  if (!href) return label; // Handlebars escapes a plain string
  return new Handlebars.SafeString(`<a href="${Handlebars.escapeExpression(href)}">${Handlebars.escapeExpression(label)}</a>`);
}
