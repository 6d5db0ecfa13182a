/**
 * Tables that read as cards on a phone. Every data table of a page (one with a <thead>) gets
 * `data-cards`, and each body and footer cell gets `data-label` with its column's header text, so
 * the narrow-screen stylesheet can show each row as a card of "label: value" lines instead of a grid
 * wider than the screen. A table that is not already inside a `.table-wrap` box gets one, so wide
 * tables scroll inside their card at in-between widths instead of pushing the page sideways.
 *
 * Done once on the rendered page (our own templates' markup), so every page and report table is
 * covered without each template repeating its headers. Cells that span the whole table (the
 * "nothing here" rows) and cells under a header that is only there for screen readers (an action
 * column) get no label; a cell that already carries `data-label` keeps it.
 */
const TABLE = /<table\b([^>]*)>([\s\S]*?)<\/table>/g;
const ROW = /<tr\b[^>]*>([\s\S]*?)<\/tr>/g;
const HEADER_CELL = /<th\b([^>]*)>([\s\S]*?)<\/th>/g;
const CELL_OPEN = /<td\b([^>]*)>/g;

const spanOf = (attrs: string): number => {
  const match = /\bcolspan\s*=\s*"?(\d+)/i.exec(attrs);
  return match ? Math.max(1, Number(match[1])) : 1;
};
/** A header's text as an attribute value: tags dropped, whitespace squashed; entities stay encoded. */
const labelText = (html: string): string =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/"/g, '&quot;');

/** One label per column of the table's last header row (a colspan header labels each column it spans). */
function columnLabels(thead: string): string[] {
  const rows = [...thead.matchAll(ROW)];
  const last = rows.length ? rows[rows.length - 1][1] : thead;
  const labels: string[] = [];
  for (const [, attrs, inner] of last.matchAll(HEADER_CELL)) {
    const text = /class="[^"]*\bvisually-hidden\b/.test(inner) ? '' : labelText(inner);
    for (let i = 0; i < spanOf(attrs); i++) labels.push(text);
  }
  return labels;
}

function labelRows(section: string, labels: string[]): string {
  return section.replace(ROW, (row: string) => {
    let column = 0;
    return row.replace(CELL_OPEN, (open: string, attrs: string) => {
      const span = spanOf(attrs);
      const label = labels[column] ?? '';
      column += span;
      if (!label || (span > 1 && span >= labels.length) || /\bdata-label\s*=/.test(attrs)) return open;
      return `<td${attrs} data-label="${label}">`;
    });
  });
}

/** The page's HTML with its data tables marked up for cards (see above). Idempotent. */
export function cardTables(html: string): string {
  return html.replace(TABLE, (table: string, attrs: string, inner: string, offset: number, whole: string) => {
    if (/<table\b/.test(inner) || /\bdata-cards\b/.test(attrs)) return table; // nested or done: left as it is
    const thead = /<thead\b[^>]*>([\s\S]*?)<\/thead>/.exec(inner);
    if (!thead) return table;
    const labels = columnLabels(thead[1]);
    const body = inner.replace(
      /(<t(?:body|foot)\b[^>]*>)([\s\S]*?)(<\/t(?:body|foot)>)/g,
      (_m, open: string, rows: string, close: string) => `${open}${labelRows(rows, labels)}${close}`,
    );
    const marked = `<table${attrs} data-cards>${body}</table>`;
    const wrapped = /<div class="table-wrap"[^>]*>\s*$/.test(whole.slice(Math.max(0, offset - 200), offset));
    return wrapped ? marked : `<div class="table-wrap">${marked}</div>`;
  });
}
