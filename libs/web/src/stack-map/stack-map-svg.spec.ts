import { MapEdge, MapLane, MapNode, renderStackMapSvg } from './stack-map-svg';

const lanes: MapLane[] = [
  { id: 'c1', name: 'Data' },
  { id: 'c2', name: 'Social & Relationships' },
];
const node = (id: string, over: Partial<MapNode> = {}): MapNode => ({
  id,
  name: `Tool ${id}`,
  categoryId: 'c1',
  categoryName: 'Data',
  subcategoryId: 's1',
  subcategoryName: 'CDP',
  itApproval: 'APPROVED',
  lifecycle: 'ACTIVE',
  shadowIt: false,
  silo: false,
  isSystemOfRecord: false,
  ...over,
});

describe('renderStackMapSvg', () => {
  it('draws a lane per category, a linked box per tool and an arrow per flow', () => {
    const nodes = [
      node('a', { isSystemOfRecord: true }),
      node('b', { categoryId: 'c2', subcategoryId: 's2', subcategoryName: 'CRM', shadowIt: true, itApproval: 'NOT_REVIEWED' }),
    ];
    const edges: MapEdge[] = [
      { id: 'e', sourceToolId: 'a', targetToolId: 'b', method: 'API', status: 'ACTIVE', carriesPersonalData: true },
    ];
    const svg = renderStackMapSvg(lanes, nodes, edges);
    expect(svg.match(/class="lane"/g)).toHaveLength(2);
    expect(svg).toContain('href="/tools/a"');
    expect(svg).toContain('href="/tools/b"');
    expect(svg).toContain('★ Tool a');
    expect(svg).toMatch(/class="tool shadow"/);
    expect(svg.match(/class="edge /g)).toHaveLength(1);
    expect(svg).toContain('edge active personal');
  });

  it('escapes names so a tool name cannot inject markup', () => {
    const svg = renderStackMapSvg(lanes, [node('x', { name: '<script>alert(1)</script>' })], []);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('groups by subcategory above the threshold, aggregating arrows', () => {
    const nodes = Array.from({ length: 200 }, (_, i) =>
      node(`n${i}`, {
        categoryId: i % 2 ? 'c1' : 'c2',
        subcategoryId: `s${i % 10}`,
        subcategoryName: `Sub ${i % 10}`,
      }),
    );
    const edges: MapEdge[] = Array.from({ length: 300 }, (_, i) => ({
      id: `e${i}`,
      sourceToolId: `n${i % 200}`,
      targetToolId: `n${(i * 7 + 3) % 200}`,
      method: 'API',
      status: 'ACTIVE',
      carriesPersonalData: false,
    }));
    const svg = renderStackMapSvg(lanes, nodes, edges);
    expect(svg).toContain('class="stack-map grouped"');
    expect(svg.match(/class="sub-group"/g)).toHaveLength(10);
    expect((svg.match(/class="edge /g) ?? []).length).toBeLessThanOrEqual(100);
    expect(svg).not.toContain('href="/tools/');
  });
});
