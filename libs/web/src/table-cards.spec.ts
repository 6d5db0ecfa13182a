import { cardTables } from './table-cards';

describe('cardTables: data tables labelled for the phone-width card layout', () => {
  it('labels each body and footer cell with its column header, tags dropped and quotes encoded', () => {
    const html =
      '<div class="table-wrap"><table><thead><tr><th>Tool</th><th class="num">Annual <abbr>cost</abbr></th><th>Say "hi"</th></tr></thead>' +
      '<tbody><tr class="overdue"><td><a href="/t">A</a></td><td class="num">€1.00</td><td>x</td></tr></tbody>' +
      '<tfoot><tr><td>Total</td><td class="num">€1.00</td><td></td></tr></tfoot></table></div>';
    expect(cardTables(html)).toBe(
      '<div class="table-wrap"><table data-cards><thead><tr><th>Tool</th><th class="num">Annual <abbr>cost</abbr></th><th>Say "hi"</th></tr></thead>' +
        '<tbody><tr class="overdue"><td data-label="Tool"><a href="/t">A</a></td><td class="num" data-label="Annual cost">€1.00</td>' +
        '<td data-label="Say &quot;hi&quot;">x</td></tr></tbody>' +
        '<tfoot><tr><td data-label="Tool">Total</td><td class="num" data-label="Annual cost">€1.00</td>' +
        '<td data-label="Say &quot;hi&quot;"></td></tr></tfoot></table></div>',
    );
  });

  it('follows colspans, leaves whole-width "nothing here" cells and screen-reader-only action headers unlabelled', () => {
    const html =
      '<table><thead><tr><th>User</th><th colspan="2">Access</th><th><span class="visually-hidden">Save</span></th></tr></thead><tbody>' +
      '<tr><td>Ann</td><td>roles</td><td>on</td><td><button>Save</button></td></tr>' +
      '<tr><td colspan="2">both</td><td>third</td><td></td></tr>' +
      '<tr><td colspan="4">Nothing here.</td></tr></tbody></table>';
    const out = cardTables(html);
    expect(out).toContain(
      '<tr><td data-label="User">Ann</td><td data-label="Access">roles</td><td data-label="Access">on</td><td><button>Save</button></td></tr>',
    );
    expect(out).toContain('<tr><td colspan="2" data-label="User">both</td><td data-label="Access">third</td><td></td></tr>');
    expect(out).toContain('<tr><td colspan="4">Nothing here.</td></tr>');
  });

  it('wraps a table that is not in a scroll box yet, and is idempotent', () => {
    const html =
      '<section class="card report"><p>x</p>\n<table>\n<thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table></section>';
    const once = cardTables(html);
    expect(once).toBe(
      '<section class="card report"><p>x</p>\n<div class="table-wrap"><table data-cards>\n' +
        '<thead><tr><th>A</th></tr></thead><tbody><tr><td data-label="A">1</td></tr></tbody></table></div></section>',
    );
    expect(cardTables(once)).toBe(once);
  });

  it('keeps a label set by the template, and leaves tables without a header row alone', () => {
    expect(
      cardTables(
        '<div class="table-wrap"><table><thead><tr><th>A</th></tr></thead><tbody><tr><td data-label="Own">1</td></tr></tbody></table></div>',
      ),
    ).toContain('<td data-label="Own">1</td>');
    const plain = '<table><tbody><tr><td>1</td></tr></tbody></table>';
    expect(cardTables(plain)).toBe(plain);
  });
});
