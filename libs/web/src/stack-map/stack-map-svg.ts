/**
 * Renders the stack map as an SVG "stackie" (LeanIX-style): lanes per top-level category in a grid
 * that wraps (3 lanes a row on a laptop, 1 on a phone), tools as boxes filled by IT approval, shadow
 * IT and silos marked, large subcategories collapsed into one box with counts (a link that opens
 * them), and flows as orthogonal lines routed in the gutters: colour says whether a flow carries
 * personal data, the line style its status, the width how many flows a grouped line stands for.
 * Every box is one link (nothing interactive nested in it) whose name lists its flows, so the map
 * reads as text to a screen reader too. Pure: the data comes from the stack-map JSON.
 */
import { GEOMETRY, GroupingMode, LayoutOptions, layOutGrid, MapBox, MapEdge, MapGrid, MapLane, MapNode } from './stack-map-layout';
import { DEFAULT_MAX_LINKS, MapLink, pathOf, routeFlows, RoutedLinks } from './stack-map-routing';
import { escapeXml, nameList } from './stack-map-text';

export type { MapEdge, MapLane, MapNode, GroupingMode };
export { escapeXml };

export interface RenderOptions extends Omit<LayoutOptions, 'columns'> {
  /** Lanes per row (default 3). */
  columns?: number;
  maxLinks?: number;
  /** Prefix of the ids inside the SVG (two maps on one page must not share them). */
  idPrefix?: string;
  /** A file of its own (downloaded): fixed width and height instead of filling its box. */
  standalone?: boolean;
  toolHref?: (id: string) => string;
  expandHref?: (subcategoryId: string) => string;
  collapseHref?: (subcategoryId: string) => string;
  catalogHref?: (subcategoryId: string) => string;
}

export interface RenderedMap {
  svg: string;
  grid: MapGrid;
  routed: RoutedLinks;
}

/** One line of the map's text alternative: a drawn link in words. */
export interface FlowRow {
  from: string;
  to: string;
  flows: number;
  how: string;
  status: string;
  personal: boolean;
}

const FILL: Record<string, string> = {
  APPROVED: '#e3f4ea',
  APPROVED_WITH_CONDITIONS: '#fff2d9',
  NOT_REVIEWED: '#eef1f5',
  REJECTED: '#fde7e5',
};
const STROKE: Record<string, string> = {
  APPROVED: '#1f8a4c',
  APPROVED_WITH_CONDITIONS: '#a35f00',
  NOT_REVIEWED: '#5f6b7a',
  REJECTED: '#c0352b',
};
/** Line colours: personal data or not (the question a DPO and the CIO ask of a flow). */
export const EDGE_COLOURS = { personal: '#b0206e', plain: '#2d6cb5' } as const;
const DASH: Record<string, string> = { PLANNED: '7 4', BROKEN: '2 3' };

const tools = (count: number) => `${count} tool${count === 1 ? '' : 's'}`;
const words = (code: string) => code.replace(/_/g, ' ').toLowerCase();

/** The name of a box as a person reads it (tooltips, the flow list). */
export function boxName(box: MapBox): string {
  if (box.kind === 'tool') return box.members[0].name;
  if (box.kind === 'group') return `${box.subcategoryName} (${tools(box.members.length)})`;
  return `${box.subcategoryName}: ${box.members.length} more tools`;
}

function linkWords(link: MapLink): string {
  const status = link.status === 'MIXED' ? 'mixed status' : words(link.status);
  return `${link.count > 1 ? `${link.count} flows, ` : ''}${link.methods.map(words).join(' / ')}, ${status}${link.personal ? ', personal data' : ''}`;
}

function boxTitle(box: MapBox, outgoing: string[], incoming: string[]): string {
  const flows = [
    outgoing.length ? `sends data to ${nameList(outgoing)}` : '',
    incoming.length ? `receives data from ${nameList(incoming)}` : '',
  ].filter(Boolean);
  const flowText = flows.length ? flows.join('; ') : 'no flows';
  if (box.kind === 'tool') {
    const node = box.members[0];
    const tags = [
      `IT approval: ${words(node.itApproval)}`,
      node.isSystemOfRecord ? 'system of record' : '',
      node.shadowIt ? 'shadow IT' : '',
      node.silo ? 'silo' : '',
      node.lifecycle !== 'ACTIVE' ? words(node.lifecycle) : '',
    ].filter(Boolean);
    return `${node.name} — ${node.subcategoryName}; ${tags.join(', ')}; ${flowText}`;
  }
  const shadow = box.members.filter((m) => m.shadowIt).length;
  const action = box.kind === 'group' ? 'open to show every tool' : 'open the catalog for the rest';
  return `${boxName(box)}${shadow ? `, ${shadow} shadow IT` : ''}; ${flowText}; ${action}`;
}

function renderBox(box: MapBox, title: string, opts: RenderOptions): string {
  const rectAt = `x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" rx="6"`;
  const textX = box.x + 10;
  if (box.kind === 'tool') {
    const node = box.members[0];
    const stroke = node.shadowIt ? '#c0352b' : (STROKE[node.itApproval] ?? '#5f6b7a');
    const dash = node.shadowIt ? ' stroke-dasharray="6 3"' : node.silo ? ' stroke-dasharray="2 3"' : '';
    const flag = node.shadowIt ? 'shadow' : node.silo ? 'silo' : '';
    const href = (opts.toolHref ?? ((id) => `/tools/${id}`))(node.id);
    return (
      `<a href="${escapeXml(href)}" class="box tool${node.shadowIt ? ' shadow' : ''}${node.silo ? ' silo' : ''}" data-box="${escapeXml(box.key)}">` +
      `<title>${escapeXml(title)}</title>` +
      `<rect ${rectAt} fill="${FILL[node.itApproval] ?? '#eef1f5'}" stroke="${stroke}" stroke-width="${node.isSystemOfRecord ? 2.5 : 1.5}"${dash}/>` +
      `<text x="${textX}" y="${box.y + 21}" class="name${node.isSystemOfRecord ? ' sor' : ''}">` +
      `${node.isSystemOfRecord ? '★ ' : ''}${escapeXml(box.label)}</text>` +
      (flag ? `<text x="${box.x + box.w - 8}" y="${box.y + 21}" class="flag ${flag}-flag" text-anchor="end">${flag}</text>` : '') +
      `</a>`
    );
  }
  const shadow = box.members.filter((m) => m.shadowIt).length;
  const silo = box.members.filter((m) => m.silo).length;
  if (box.kind === 'more') {
    const href = (opts.catalogHref ?? ((id) => `/catalog?subcategoryId=${id}`))(box.subcategoryId);
    return (
      `<a href="${escapeXml(href)}" class="box more" data-box="${escapeXml(box.key)}"><title>${escapeXml(title)}</title>` +
      `<rect ${rectAt} fill="#ffffff" stroke="#5f6b7a" stroke-dasharray="4 3"/>` +
      `<text x="${textX}" y="${box.y + 21}" class="name">${box.members.length} more in the catalog ›</text></a>`
    );
  }
  const href = (opts.expandHref ?? ((id) => `/stack-map?expand=${id}`))(box.subcategoryId);
  const meta = [shadow ? `${shadow} shadow IT` : '', silo ? `${silo} silo${silo === 1 ? '' : 's'}` : '', 'show all ›'].filter(Boolean);
  return (
    `<a href="${escapeXml(href)}" class="box group${shadow ? ' shadow' : ''}" data-box="${escapeXml(box.key)}"><title>${escapeXml(title)}</title>` +
    `<rect x="${box.x + 4}" y="${box.y + 4}" width="${box.w}" height="${box.h}" rx="6" fill="#e8edf3" stroke="#aab4c2"/>` +
    `<rect ${rectAt} fill="#f7f9fc" stroke="${shadow ? '#c0352b' : '#5f6b7a'}"${shadow ? ' stroke-dasharray="6 3"' : ''}/>` +
    `<text x="${textX}" y="${box.y + 20}" class="name">${tools(box.members.length)}</text>` +
    `<text x="${textX}" y="${box.y + 37}" class="meta">${escapeXml(meta.join(' · '))}</text></a>`
  );
}

function renderHeading(heading: MapGrid['headings'][number], opts: RenderOptions): string {
  const lines = heading.lines
    .map((line, i) => `<tspan x="${heading.x}" y="${heading.y + 11 + i * GEOMETRY.headingLine}">${escapeXml(line)}</tspan>`)
    .join('');
  const cut = heading.lines.join(' ').replace(/…$/, '') !== heading.full.trim().replace(/\s+/g, ' ');
  if (heading.openedByUser) {
    const href = (opts.collapseHref ?? (() => '/stack-map'))(heading.subcategoryId);
    // A filled (invisible) area under the words, so the whole heading is the click target, not only its glyphs.
    const areaHeight = heading.lines.length * GEOMETRY.headingLine + 2;
    const area = `<rect x="${heading.x}" y="${heading.y}" width="${GEOMETRY.boxWidth}" height="${areaHeight}" fill="transparent"/>`;
    return (
      `<a href="${escapeXml(href)}" class="sub-link"><title>${escapeXml(`Show ${heading.full} as one box`)}</title>` +
      `${area}<text class="sub">${lines}</text></a>`
    );
  }
  return `<text class="sub">${cut ? `<title>${escapeXml(heading.full)}</title>` : ''}${lines}</text>`;
}

function renderLink(link: MapLink, names: Map<string, string>, prefix: string): string {
  const colour = link.personal ? 'personal' : 'plain';
  const dash = DASH[link.status] ? ` stroke-dasharray="${DASH[link.status]}"` : '';
  const width = (1.6 + Math.min(4, Math.log2(link.count))).toFixed(1);
  const title = `${names.get(link.from)} → ${names.get(link.to)}: ${linkWords(link)}`;
  return (
    `<path d="${pathOf(link.points)}" class="edge ${link.status.toLowerCase()}${link.personal ? ' personal' : ''}" ` +
    `data-from="${escapeXml(link.from)}" data-to="${escapeXml(link.to)}" stroke="${EDGE_COLOURS[colour]}" stroke-width="${width}"${dash} ` +
    `marker-end="url(#${prefix}arrow-${colour})"><title>${escapeXml(title)}</title></path>`
  );
}

const STYLE = `<style>
.lane-title{font:600 14px system-ui,sans-serif;fill:#1c2430}.sub{font:600 11px system-ui,sans-serif;fill:#4a5562;text-transform:uppercase}
.name{font:13px system-ui,sans-serif;fill:#1c2430}.sor{font-weight:700}.meta{font:11px system-ui,sans-serif;fill:#4a5562}
.flag{font:600 10px system-ui,sans-serif;fill:#b3261e}.silo-flag{fill:#4a5562}.edge{fill:none;stroke-linejoin:round}
.box:hover rect:last-of-type,.box:focus rect:last-of-type,.box.partner rect:last-of-type{stroke:#1a4fd6;stroke-width:3}
.box:focus{outline:none}.box:focus-visible rect:last-of-type{stroke:#1a4fd6;stroke-width:4}.sub-link .sub{fill:#1a4fd6;text-decoration:underline}
.focusing .edge{opacity:.12}.focusing .edge.hl{opacity:1;stroke-width:3.5}.focusing .box:not(.partner):not(.current){opacity:.55}
</style>`;

function markers(prefix: string): string {
  const marker = (name: string, colour: string) =>
    `<marker id="${prefix}arrow-${name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" markerUnits="userSpaceOnUse" orient="auto">` +
    `<path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
  return `<defs>${marker('personal', EDGE_COLOURS.personal)}${marker('plain', EDGE_COLOURS.plain)}</defs>`;
}

export function renderStackMap(lanes: MapLane[], nodes: MapNode[], edges: MapEdge[], opts: RenderOptions = {}): RenderedMap {
  const grid = layOutGrid(lanes, nodes, { ...opts, columns: opts.columns ?? 3 });
  const routed = routeFlows(grid, edges, opts.maxLinks ?? DEFAULT_MAX_LINKS);
  const prefix = opts.idPrefix ?? 'map-';
  const names = new Map(grid.boxes.map((box) => [box.key, boxName(box)]));
  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, string[]>();
  for (const link of routed.links) {
    outgoing.set(link.from, [...(outgoing.get(link.from) ?? []), names.get(link.to)!]);
    incoming.set(link.to, [...(incoming.get(link.to) ?? []), names.get(link.from)!]);
  }
  const lanesSvg = grid.lanes.map(
    (lane) =>
      `<g class="lane"><rect x="${lane.x}" y="${lane.y}" width="${lane.w}" height="${lane.h}" rx="10" fill="#fbfcfe" stroke="#d5dce5"/>` +
      `<text x="${lane.x + lane.w / 2}" y="${lane.y + 22}" text-anchor="middle" class="lane-title">${escapeXml(lane.lane.name)}</text>` +
      `<text x="${lane.x + lane.w / 2}" y="${lane.y + 37}" text-anchor="middle" class="meta">` +
      `${lane.toolCount} tool${lane.toolCount === 1 ? '' : 's'}</text></g>`,
  );
  const boxesSvg = grid.boxes.map((box) => renderBox(box, boxTitle(box, outgoing.get(box.key) ?? [], incoming.get(box.key) ?? []), opts));
  const size = opts.standalone ? `width="${grid.width}" height="${grid.height}"` : `width="100%" style="max-width:${grid.width}px"`;
  const label = `Stack map: ${tools(nodes.length)} in ${lanes.length} categories, ${edges.length} flows`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${grid.width} ${grid.height}" ${size} preserveAspectRatio="xMidYMin meet" ` +
    `role="group" aria-label="${escapeXml(label)}" class="stack-map${grid.collapsedGroups ? ' grouped' : ''}" data-columns="${grid.columns}">` +
    STYLE +
    markers(prefix) +
    lanesSvg.join('') +
    grid.headings.map((heading) => renderHeading(heading, opts)).join('') +
    `<g class="edges">${routed.links.map((link) => renderLink(link, names, prefix)).join('')}</g>` +
    `<g class="boxes">${boxesSvg.join('')}</g></svg>`;
  return { svg, grid, routed };
}

export function renderStackMapSvg(lanes: MapLane[], nodes: MapNode[], edges: MapEdge[], opts: RenderOptions = {}): string {
  return renderStackMap(lanes, nodes, edges, opts).svg;
}

/** The drawn links in words: the map's text alternative (a table under the map). */
export function flowRows(map: RenderedMap): FlowRow[] {
  const names = new Map(map.grid.boxes.map((box) => [box.key, boxName(box)]));
  return map.routed.links
    .map((link) => ({
      from: names.get(link.from)!,
      to: names.get(link.to)!,
      flows: link.count,
      how: link.methods.map(words).join(', '),
      status: link.status === 'MIXED' ? 'mixed' : words(link.status),
      personal: link.personal,
    }))
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
