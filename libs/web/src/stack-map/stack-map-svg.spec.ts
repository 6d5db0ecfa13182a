import { layOutGrid, MapBox, MapEdge, MapLane, MapNode, openSubcategories } from './stack-map-layout';
import { Point, routeFlows } from './stack-map-routing';
import { flowRows, renderStackMap, renderStackMapSvg } from './stack-map-svg';
import { abbreviateName, wrapHeading, wrapWords } from './stack-map-text';

const SIX: MapLane[] = ['Advertising', 'Content', 'Social', 'Commerce', 'Data', 'Management'].map((name, i) => ({ id: `c${i}`, name }));
const lanes: MapLane[] = SIX.slice(0, 2);
const node = (id: string, over: Partial<MapNode> = {}): MapNode => ({
  id,
  name: `Tool ${id}`,
  categoryId: 'c0',
  categoryName: 'Advertising',
  subcategoryId: 's1',
  subcategoryName: 'CDP',
  itApproval: 'APPROVED',
  lifecycle: 'ACTIVE',
  shadowIt: false,
  silo: false,
  isSystemOfRecord: false,
  ...over,
});
const flow = (id: string, from: string, to: string, over: Partial<MapEdge> = {}): MapEdge => ({
  id,
  sourceToolId: from,
  targetToolId: to,
  method: 'API',
  status: 'ACTIVE',
  carriesPersonalData: false,
  ...over,
});

/** A stack of `count` tools over six lanes and `subs` subcategories, with `flows` pseudo-random flows. */
function stack(count: number, subs: number, flows: number): { nodes: MapNode[]; edges: MapEdge[] } {
  const nodes = Array.from({ length: count }, (_, index) => {
    const sub = index % subs;
    return node(`t${index}`, {
      name: `Tool number ${index}`,
      categoryId: `c${sub % 6}`,
      subcategoryId: `00000000-0000-4000-8000-${String(sub).padStart(12, '0')}`,
      subcategoryName: `Subcategory ${sub} with a rather long customer engagement title`,
      shadowIt: index % 17 === 0,
    });
  });
  const edges = Array.from({ length: flows }, (_, i) =>
    flow(`e${i}`, `t${(i * 31) % count}`, `t${(i * 7 + 3) % count}`, { carriesPersonalData: i % 3 === 0 }),
  );
  return { nodes, edges };
}

/** Whether the axis-aligned segment a→b passes through the inside of `box`. */
function crosses([ax, ay]: Point, [bx, by]: Point, box: MapBox): boolean {
  const [x1, x2] = [Math.min(ax, bx), Math.max(ax, bx)];
  const [y1, y2] = [Math.min(ay, by), Math.max(ay, by)];
  return x2 > box.x && x1 < box.x + box.w && y2 > box.y && y1 < box.y + box.h;
}

describe('stack map text', () => {
  it('wraps a heading by whole words onto two lines, never cutting a word', () => {
    expect(wrapHeading('Business/Customer Intelligence & Data Science Platforms')).toEqual([
      'Business/Customer Intelligence &',
      'Data Science Platforms',
    ]);
    const long = 'Customer Data Platforms and Customer Identity Resolution for Enterprise Marketing Teams';
    const lines = wrapHeading(long);
    expect(lines).toHaveLength(2);
    expect(lines[1].endsWith('…')).toBe(true);
    // Every shown word is a whole word of the title, in order.
    const shown = lines.join(' ').replace(/…$/, '').split(' ');
    expect(long.split(' ').slice(0, shown.length)).toEqual(shown);
    expect(wrapWords('Supercalifragilisticexpialidocious tools', 10, 2)).toEqual(['Supercalifragilisticexpialidocious', 'tools']);
  });

  it('shortens a tool name at a word boundary', () => {
    expect(abbreviateName('Salesforce Marketing Cloud Account Engagement')).toBe('Salesforce Marketing…');
    expect(abbreviateName('HubSpot')).toBe('HubSpot');
  });
});

describe('stack map layout', () => {
  it('wraps six lanes into rows of three, and into one column on a phone, within the page width', () => {
    const nodes = SIX.map((lane, i) => node(`n${i}`, { categoryId: lane.id }));
    const wide = layOutGrid(SIX, nodes, { columns: 3 });
    expect(wide.lanes.map((lane) => [lane.row, lane.col])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(wide.width).toBeLessThanOrEqual(1200); // the page's content box at 1366 px
    const narrow = layOutGrid(SIX, nodes, { columns: 1 });
    expect(new Set(narrow.lanes.map((lane) => lane.col))).toEqual(new Set([0]));
    expect(narrow.width).toBeLessThanOrEqual(390);
  });

  it('collapses a subcategory above the threshold into one box, and opens it on request', () => {
    const nodes = [
      ...Array.from({ length: 9 }, (_, i) => node(`big${i}`, { subcategoryId: 'big', subcategoryName: 'Big' })),
      ...Array.from({ length: 8 }, (_, i) => node(`small${i}`, { subcategoryId: 'small', subcategoryName: 'Small' })),
    ];
    const auto = layOutGrid(lanes, nodes, { columns: 3 });
    expect(auto.boxes.filter((b) => b.kind === 'group').map((b) => [b.subcategoryId, b.members.length])).toEqual([['big', 9]]);
    expect(auto.boxes.filter((b) => b.kind === 'tool')).toHaveLength(8);
    expect(auto.boxOfTool.get('big3')).toBe('g:big');
    const opened = layOutGrid(lanes, nodes, { columns: 3, expand: new Set(['big']) });
    expect(opened.boxes.filter((b) => b.kind === 'tool')).toHaveLength(17);
    expect(opened.headings.find((h) => h.subcategoryId === 'big')!.openedByUser).toBe(true);
    expect(layOutGrid(lanes, nodes, { columns: 3, mode: 'grouped' }).collapsedGroups).toBe(2);
  });

  it('keeps the number of boxes bounded at 10,000 tools, even when every tool is asked for', () => {
    const { nodes } = stack(10_000, 60, 0);
    expect(openSubcategories(nodes)).toEqual(new Set()); // ~167 tools each: all collapsed
    const all = layOutGrid(SIX, nodes, { columns: 3, mode: 'expanded', maxToolBoxes: 1200, maxPerGroup: 120 });
    expect(all.boxes.length).toBeLessThanOrEqual(1200 + 60);
    const opened = layOutGrid(SIX, nodes, { columns: 3, expand: new Set([nodes[0].subcategoryId]) });
    const group = opened.boxes.filter((b) => b.subcategoryId === nodes[0].subcategoryId);
    expect(group.filter((b) => b.kind === 'tool')).toHaveLength(120);
    expect(group.filter((b) => b.kind === 'more').map((b) => b.members.length)).toEqual([167 - 120]);
  });
});

describe('stack map routing', () => {
  it.each([
    ['500 tools, every tool', 500, 'expanded' as const, 3],
    ['500 tools, every tool, phone', 500, 'expanded' as const, 1],
    ['10,000 tools, grouped', 10_000, 'auto' as const, 3],
  ])('no line crosses a box it does not connect (%s)', (_label, count, mode, columns) => {
    const { nodes, edges } = stack(count, 48, count * 2);
    const grid = layOutGrid(SIX, nodes, { columns, mode });
    const { links } = routeFlows(grid, edges);
    expect(links.length).toBeGreaterThan(50);
    const bad: string[] = [];
    for (const link of links) {
      for (let i = 1; i < link.points.length; i++) {
        const [start, end] = [link.points[i - 1], link.points[i]];
        expect(start[0] === end[0] || start[1] === end[1]).toBe(true); // orthogonal
        for (const box of grid.boxes) {
          if (box.key !== link.from && box.key !== link.to && crosses(start, end, box))
            bad.push(`${link.from}>${link.to} crosses ${box.key}`);
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('aggregates the flows of a pair of groups into one line and counts those inside a group', () => {
    const nodes = [
      ...Array.from({ length: 10 }, (_, i) => node(`a${i}`, { subcategoryId: 'sa', subcategoryName: 'A' })),
      ...Array.from({ length: 10 }, (_, i) => node(`b${i}`, { categoryId: 'c1', subcategoryId: 'sb', subcategoryName: 'B' })),
    ];
    const edges = [flow('1', 'a1', 'b1'), flow('2', 'a2', 'b2', { carriesPersonalData: true, status: 'PLANNED' }), flow('3', 'a1', 'a2')];
    const routed = routeFlows(layOutGrid(lanes, nodes, { columns: 3 }), edges);
    expect(routed.links.map((l) => [l.from, l.to, l.count, l.personal, l.status])).toEqual([['g:sa', 'g:sb', 2, true, 'MIXED']]);
    expect(routed.internalFlows).toBe(1);
  });
});

describe('renderStackMapSvg', () => {
  it('draws a lane per category, one link per tool box (nothing nested) and a coloured line per flow', () => {
    const nodes = [
      node('a', { isSystemOfRecord: true }),
      node('b', { categoryId: 'c1', subcategoryId: 's2', subcategoryName: 'CRM', shadowIt: true, itApproval: 'NOT_REVIEWED' }),
    ];
    const map = renderStackMap(lanes, nodes, [flow('e', 'a', 'b', { carriesPersonalData: true })]);
    const svg = map.svg;
    expect(svg.match(/class="lane"/g)).toHaveLength(2);
    expect(svg).toContain('href="/tools/a"');
    expect(svg).toContain('href="/tools/b"');
    expect(svg).toContain('★ Tool a');
    expect(svg).toMatch(/class="box tool shadow"/);
    expect(svg.match(/class="edge /g)).toHaveLength(1);
    expect(svg).toContain('edge active personal');
    expect(svg).toContain('data-from="a" data-to="b" stroke="#b0206e"');
    // No link inside a link, and each box's name says where its data goes.
    expect(svg).not.toMatch(/<a [^>]*>(?:(?!<\/a>).)*<a /);
    expect(svg).toContain('sends data to Tool b');
    expect(svg).toContain('receives data from Tool a');
    expect(flowRows(map)).toEqual([{ from: 'Tool a', to: 'Tool b', flows: 1, how: 'api', status: 'active', personal: true }]);
  });

  it('escapes names so a tool name cannot inject markup', () => {
    const svg = renderStackMapSvg(lanes, [node('x', { name: '<script>alert(1)</script>' })], []);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('shows a long subcategory heading whole, over two lines', () => {
    const svg = renderStackMapSvg(lanes, [node('x', { subcategoryName: 'Business/Customer Intelligence & Data Science' })], []);
    expect(svg).toContain('<tspan x="64" y="71">Business/Customer Intelligence &amp;</tspan>');
    expect(svg).toContain('>Data Science</tspan>');
  });

  it('links a group box to the map with that subcategory opened', () => {
    const nodes = Array.from({ length: 12 }, (_, i) => node(`n${i}`));
    const svg = renderStackMapSvg(lanes, nodes, [], { expandHref: (id) => `/stack-map?expand=${id}` });
    expect(svg).toContain('class="stack-map grouped"');
    expect(svg).toContain('<a href="/stack-map?expand=s1" class="box group"');
    expect(svg).toContain('12 tools');
    expect(svg).not.toContain('href="/tools/');
  });
});
