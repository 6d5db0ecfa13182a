import { CatalogViewResponse, ToolFilterDto, toolFilterQuery } from '@stackgate/catalog';

/** The catalog table's columns, each sortable by the API field of the same meaning. */
export const CATALOG_COLUMNS = [
  { field: 'name', label: 'Tool', noun: 'tool name', className: '' },
  { field: 'category', label: 'Category', noun: 'category', className: 'hide-sm' },
  { field: 'lifecycle', label: 'Lifecycle', noun: 'lifecycle', className: '' },
  { field: 'itApproval', label: 'IT approval', noun: 'IT approval', className: '' },
  { field: 'vendor', label: 'Vendor', noun: 'vendor', className: 'hide-sm' },
  { field: 'annualCost', label: 'Annual cost', noun: 'annual cost', className: 'num' },
] as const;

export interface SortHeader {
  field: string;
  label: string;
  className: string;
  /** aria-sort of the column the list is sorted by; the others carry none. */
  ariaSort: 'ascending' | 'descending' | undefined;
  /** The same filters sorted by this column: ascending first, descending when it is already ascending. */
  href: string;
  /** What following the link does, for a tooltip and screen readers. */
  hint: string;
}

/** The table headers as sort links for the list's current filters (paging restarts at page 1). */
export function sortHeaders(filter: ToolFilterDto): SortHeader[] {
  const current = filter.sort ?? 'name';
  const descending = current.startsWith('-');
  const sorted = descending ? current.slice(1) : current;
  return CATALOG_COLUMNS.map(({ noun, ...column }) => {
    const active = column.field === sorted;
    const next = active && !descending ? `-${column.field}` : column.field;
    return {
      ...column,
      ariaSort: active ? (descending ? 'descending' : 'ascending') : undefined,
      href: catalogHref({ ...filter, sort: next }),
      hint: `Sort by ${noun}, ${next.startsWith('-') ? 'descending' : 'ascending'}`,
    };
  });
}

/** `/catalog` with these filters (canonical order, no paging). */
export function catalogHref(filter: ToolFilterDto): string {
  const query = toolFilterQuery(filter);
  return query ? `/catalog?${query}` : '/catalog';
}

/** The saved views as links, the one matching the current filters marked current. */
export function viewLinks(views: CatalogViewResponse[], filter: ToolFilterDto) {
  const current = toolFilterQuery(filter);
  return views.map((view) => ({ ...view, href: catalogHref(view.filters), current: view.query === current }));
}

/** The filters of a query string posted back by a form (the canonical query of the page it was on). */
export function filtersFromQuery(query: unknown): Record<string, string> {
  if (typeof query !== 'string') return {};
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) if (value !== '') out[key] = value;
  return out;
}
