import { MapEdge, MapLane, MapNode } from './stack-map-layout';
import { flowRows, renderStackMap, RenderOptions } from './stack-map-svg';

/**
 * The map's render time and size at 500 and 10,000 tools (two flows a tool, 48 subcategories over six
 * lanes), as the page renders it: the three-lane and the one-lane SVG plus the flow list. Prints the
 * figures docs/PERFORMANCE.md quotes (`npx jest --selectProjects unit --testPathPatterns stack-map-render`)
 * and fails when the map stops being bounded.
 */
const LANES: MapLane[] = ['Advertising', 'Content', 'Social', 'Commerce', 'Data', 'Management'].map((name, i) => ({ id: `c${i}`, name }));

function stack(count: number): { nodes: MapNode[]; edges: MapEdge[] } {
  const nodes = Array.from({ length: count }, (_, index): MapNode => {
    const sub = index % 48;
    return {
      id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      name: `Marketing tool number ${index}`,
      categoryId: `c${sub % 6}`,
      categoryName: LANES[sub % 6].name,
      subcategoryId: `00000000-0000-4000-9000-${String(sub).padStart(12, '0')}`,
      subcategoryName: `Subcategory ${sub}: customer engagement & analytics`,
      itApproval: index % 5 ? 'APPROVED' : 'NOT_REVIEWED',
      lifecycle: 'ACTIVE',
      shadowIt: index % 17 === 0,
      silo: index % 13 === 0,
      isSystemOfRecord: index % 50 === 0,
    };
  });
  const edges = Array.from({ length: count * 2 }, (_, index): MapEdge => ({
    id: `e${index}`,
    sourceToolId: nodes[(index * 31) % count].id,
    targetToolId: nodes[(index * 7 + 3) % count].id,
    method: index % 2 ? 'API' : 'IPAAS',
    status: index % 11 ? 'ACTIVE' : 'PLANNED',
    carriesPersonalData: index % 3 === 0,
  }));
  return { nodes, edges };
}

function renderPage(nodes: MapNode[], edges: MapEdge[], opts: RenderOptions): { bytes: number; rows: number } {
  const wide = renderStackMap(LANES, nodes, edges, { ...opts, columns: 3, idPrefix: 'wide-' });
  const narrow = renderStackMap(LANES, nodes, edges, { ...opts, columns: 1, idPrefix: 'narrow-' });
  const rows = flowRows(wide);
  return { bytes: wide.svg.length + narrow.svg.length + JSON.stringify(rows).length, rows: rows.length };
}

describe('stack map render figures', () => {
  const cases: [string, number, RenderOptions][] = [
    ['500 tools, automatic', 500, {}],
    ['500 tools, every tool', 500, { mode: 'expanded' }],
    ['10,000 tools, automatic', 10_000, {}],
    ['10,000 tools, one subcategory opened', 10_000, { expand: new Set(['00000000-0000-4000-9000-000000000000']) }],
    ['10,000 tools, every tool (box budget)', 10_000, { mode: 'expanded' }],
  ];
  const lines: string[] = [];
  afterAll(() => process.stdout.write(`\nstack map page render (median of 5)\n${lines.join('\n')}\n`));

  it.each(cases)('%s: bounded time and size', (label, count, opts) => {
    const { nodes, edges } = stack(count);
    const times: number[] = [];
    let result = { bytes: 0, rows: 0 };
    for (let run = 0; run < 5; run++) {
      const started = process.hrtime.bigint();
      result = renderPage(nodes, edges, opts);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const median = times.sort((a, b) => a - b)[2];
    lines.push(
      `${label.padEnd(40)} ${median.toFixed(0).padStart(5)} ms ${(result.bytes / 1024).toFixed(0).padStart(6)} KB ${result.rows} links`,
    );
    expect(result.bytes).toBeLessThan(3 * 1024 * 1024);
    expect(median).toBeLessThan(2000);
  });
});
