/*
 * Server-rendered SVG bar charts for the printable report pages: plain markup, no script, no
 * external assets (the app's CSP forbids inline scripts and the pages must print offline).
 */

export interface ChartSeries {
  name: string;
  color: string;
}
export interface ChartRow {
  label: string;
  values: bigint[];
  caption?: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pos = (v: bigint) => (v > 0n ? v : 0n);

/** Fraction v / max as a number in [0, 1] with enough precision for drawing (exact bigints in, pixels out). */
function frac(value: bigint, max: bigint): number {
  return max === 0n ? 0 : Number((pos(value) * 1_000_000n) / max) / 1_000_000;
}

/**
 * Horizontal bars, one row per item: `stacked` draws each row's values end to end (e.g. marketing
 * / IT / other), otherwise one thin bar per series under each other (e.g. budget / actual / forecast).
 */
export function barChart(rows: ChartRow[], series: ChartSeries[], opts: { title: string; stacked: boolean }): string {
  const width = 760,
    labelW = 210,
    captionW = 130,
    barW = width - labelW - captionW - 20;
  const barH = opts.stacked ? 18 : 8;
  const rowH = opts.stacked ? 28 : series.length * (barH + 2) + 12;
  const legendH = 28;
  const height = legendH + Math.max(1, rows.length) * rowH + 8;
  const max = rows.reduce((largest, row) => {
    const value = opts.stacked ? row.values.reduce((s, x) => s + pos(x), 0n) : row.values.reduce((a, x) => (pos(x) > a ? pos(x) : a), 0n);
    return value > largest ? value : largest;
  }, 0n);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(opts.title)}">`,
  );
  parts.push(`<title>${esc(opts.title)}</title>`);
  let lx = labelW;
  for (const entry of series) {
    parts.push(
      `<rect x="${lx}" y="6" width="12" height="12" fill="${entry.color}"/><text x="${lx + 16}" y="16" font-size="12">${esc(entry.name)}</text>`,
    );
    lx += 24 + entry.name.length * 7;
  }
  if (!rows.length) parts.push(`<text x="${labelW}" y="${legendH + 18}" font-size="12">No data</text>`);
  rows.forEach((row, index) => {
    const top = legendH + index * rowH;
    const label = row.label.length > 30 ? row.label.slice(0, 29) + '…' : row.label;
    parts.push(`<text x="${labelW - 8}" y="${top + 14}" font-size="12" text-anchor="end">${esc(label)}</text>`);
    let left = labelW;
    row.values.forEach((value, seriesIndex) => {
      const segmentWidth = +(frac(value, max) * barW).toFixed(2);
      const color = series[seriesIndex]?.color ?? '#888';
      if (opts.stacked) {
        if (segmentWidth > 0)
          parts.push(`<rect x="${left.toFixed(2)}" y="${top}" width="${segmentWidth}" height="${barH}" fill="${color}"/>`);
        left += segmentWidth;
      } else {
        parts.push(`<rect x="${labelW}" y="${top + seriesIndex * (barH + 2)}" width="${segmentWidth}" height="${barH}" fill="${color}"/>`);
      }
    });
    if (row.caption) parts.push(`<text x="${width - captionW}" y="${top + 14}" font-size="12">${esc(row.caption)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
