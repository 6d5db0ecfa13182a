import { CatalogViewResponse } from '@stackgate/catalog';
import { catalogHref, filtersFromQuery, sortHeaders, viewLinks } from './catalog-list';

describe('catalog list: sort headers and saved view links', () => {
  it('sorts by name ascending by default; the name header then offers descending, the others ascending', () => {
    const headers = sortHeaders({ lifecycle: 'ACTIVE' as never });
    const name = headers.find((h) => h.field === 'name')!;
    expect(name).toMatchObject({ ariaSort: 'ascending', href: '/catalog?lifecycle=ACTIVE&sort=-name' });
    expect(name.hint).toBe('Sort by tool name, descending');
    const vendor = headers.find((h) => h.field === 'vendor')!;
    expect(vendor).toMatchObject({ ariaSort: undefined, href: '/catalog?lifecycle=ACTIVE&sort=vendor' });
    expect(headers.filter((h) => h.ariaSort)).toHaveLength(1);
  });

  it('a descending column offers ascending again and keeps every filter (but not the page)', () => {
    const headers = sortHeaders({ sort: '-annualCost', search: 'a&b=c', shadowIt: true });
    const cost = headers.find((h) => h.field === 'annualCost')!;
    expect(cost).toMatchObject({ ariaSort: 'descending', href: '/catalog?search=a%26b%3Dc&shadowIt=true&sort=annualCost' });
    expect(headers.find((h) => h.field === 'name')!.ariaSort).toBeUndefined();
  });

  it('marks the saved view whose filters are the current ones', () => {
    const view = (id: string, filters: Record<string, unknown>, query: string) =>
      ({ id, name: id, filters, query, version: 1, createdAt: new Date(), updatedAt: new Date() }) as CatalogViewResponse;
    const links = viewLinks([view('a', { lifecycle: 'ACTIVE' }, 'lifecycle=ACTIVE'), view('b', { sort: '-vendor' }, 'sort=-vendor')], {
      sort: '-vendor',
    });
    expect(links.map((l) => [l.id, l.current, l.href])).toEqual([
      ['a', false, '/catalog?lifecycle=ACTIVE'],
      ['b', true, '/catalog?sort=-vendor'],
    ]);
    expect(catalogHref({})).toBe('/catalog');
  });

  it('reads back a posted query string, ignoring empty values and non-strings', () => {
    expect(filtersFromQuery('lifecycle=ACTIVE&search=&sort=-name')).toEqual({ lifecycle: 'ACTIVE', sort: '-name' });
    expect(filtersFromQuery(['x'])).toEqual({});
  });
});
