/**
 * Renders the stack map as an SVG "stackie": one lane per top-level category, tools as boxes
 * coloured by IT approval, integrations as arrows, shadow IT and silos marked. Pure: the data
 * comes from the stack-map JSON; every box links to its tool page. Above `groupAbove` tools the
 * map groups tools by subcategory (one box per subcategory with counts, arrows aggregated), so it
 * stays usable at hundreds of tools; a lane filter shows one category in full.
 */

export interface MapNode {
  id: string;
  name: string;
  categoryId: string;
  categoryName: string;
  subcategoryId: string;
  subcategoryName: string;
  itApproval: string;
  lifecycle: string;
  shadowIt: boolean;
  silo: boolean;
  isSystemOfRecord: boolean;
}

export interface MapEdge {
  id: string;
  sourceToolId: string;
  targetToolId: string;
  method: string;
  status: string;
  carriesPersonalData: boolean;
}

export interface MapLane {
  id: string;
  name: string;
}

export interface RenderOptions {
  groupAbove?: number;
  /** Force grouping on or off (default: by size). */
  grouped?: boolean;
  toolHref?: (id: string) => string;
  subcategoryHref?: (id: string) => string;
}

const LANE_W = 230;
const LANE_GAP = 24;
const BOX_W = 200;
const BOX_H = 34;
const BOX_GAP = 8;
const HEADER_H = 44;
const SUB_H = 22;
const PAD = 16;

const FILL: Record<string, string> = {
  APPROVED: '#e3f4ea',
  APPROVED_WITH_CONDITIONS: '#fff2d9',
  NOT_REVIEWED: '#eef1f5',
  REJECTED: '#fde7e5',
};
const STROKE: Record<string, string> = {
  APPROVED: '#1f8a4c',
  APPROVED_WITH_CONDITIONS: '#b86e00',
  NOT_REVIEWED: '#6b7785',
  REJECTED: '#c0352b',
};

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const truncate = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

interface Placed {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function renderStackMapSvg(lanes: MapLane[], nodes: MapNode[], edges: MapEdge[], opts: RenderOptions = {}): string {
  const toolHref = opts.toolHref ?? ((id) => `/tools/${id}`);
  const subHref = opts.subcategoryHref ?? ((id) => `/catalog?subcategoryId=${id}`);
  const grouped = opts.grouped ?? nodes.length > (opts.groupAbove ?? 150);
  const placed = new Map<string, Placed>();
  const parts: string[] = [];
  let maxY = HEADER_H + PAD;

  lanes.forEach((lane, li) => {
    const x = PAD + li * (LANE_W + LANE_GAP);
    const laneNodes = nodes.filter((n) => n.categoryId === lane.id);
    const bySub = new Map<string, MapNode[]>();
    for (const n of laneNodes) bySub.set(n.subcategoryId, [...(bySub.get(n.subcategoryId) ?? []), n]);
    let y = HEADER_H + PAD;
    const body: string[] = [];
    for (const [subId, members] of [...bySub.entries()].sort((a, b) => a[1][0].subcategoryName.localeCompare(b[1][0].subcategoryName))) {
      const subName = members[0].subcategoryName;
      if (grouped) {
        const shadow = members.filter((m) => m.shadowIt).length;
        const silo = members.filter((m) => m.silo).length;
        const h = BOX_H + 14;
        const label = `${members.length} tool${members.length === 1 ? '' : 's'}${shadow ? ` · ${shadow} shadow IT` : ''}${silo ? ` · ${silo} silo` : ''}`;
        body.push(
          `<a href="${escapeXml(subHref(subId))}"><g class="sub-group"><title>${escapeXml(subName)}: ${escapeXml(label)}</title>` +
            `<rect x="${x + 15}" y="${y}" width="${BOX_W}" height="${h}" rx="6" fill="#f7f9fc" stroke="${shadow ? '#c0352b' : '#8a97a8'}"${shadow ? ' stroke-dasharray="5 3"' : ''}/>` +
            `<text x="${x + 25}" y="${y + 19}" class="name">${escapeXml(truncate(subName, 30))}</text>` +
            `<text x="${x + 25}" y="${y + 36}" class="meta">${escapeXml(label)}</text></g></a>`,
        );
        for (const m of members) placed.set(m.id, { x: x + 15, y, w: BOX_W, h });
        y += h + BOX_GAP;
        continue;
      }
      body.push(`<text x="${x + 15}" y="${y + 14}" class="sub">${escapeXml(truncate(subName, 34))}</text>`);
      y += SUB_H;
      for (const n of members.sort((a, b) => a.name.localeCompare(b.name))) {
        const fill = FILL[n.itApproval] ?? '#eef1f5';
        const stroke = n.shadowIt ? '#c0352b' : (STROKE[n.itApproval] ?? '#6b7785');
        const dash = n.shadowIt ? ' stroke-dasharray="6 3"' : n.silo ? ' stroke-dasharray="2 3"' : '';
        const tags = [
          n.isSystemOfRecord ? 'system of record' : '',
          n.shadowIt ? 'shadow IT' : '',
          n.silo ? 'silo' : '',
          n.lifecycle !== 'ACTIVE' ? n.lifecycle.toLowerCase() : '',
        ].filter(Boolean);
        const title = `${n.name} — ${n.subcategoryName}; IT approval: ${n.itApproval.replace(/_/g, ' ').toLowerCase()}${tags.length ? '; ' + tags.join(', ') : ''}`;
        body.push(
          `<a href="${escapeXml(toolHref(n.id))}" class="tool${n.shadowIt ? ' shadow' : ''}${n.silo ? ' silo' : ''}" data-tool-id="${escapeXml(n.id)}">` +
            `<g><title>${escapeXml(title)}</title>` +
            `<rect x="${x + 15}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="${fill}" stroke="${stroke}" stroke-width="${n.isSystemOfRecord ? 2.5 : 1.5}"${dash}/>` +
            `<text x="${x + 25}" y="${y + 21}" class="name${n.isSystemOfRecord ? ' sor' : ''}">${n.isSystemOfRecord ? '★ ' : ''}${escapeXml(truncate(n.name, 22))}</text>` +
            (n.shadowIt
              ? `<text x="${x + BOX_W + 8}" y="${y + 21}" class="flag" text-anchor="end">shadow</text>`
              : n.silo
                ? `<text x="${x + BOX_W + 8}" y="${y + 21}" class="flag silo-flag" text-anchor="end">silo</text>`
                : '') +
            `</g></a>`,
        );
        placed.set(n.id, { x: x + 15, y, w: BOX_W, h: BOX_H });
        y += BOX_H + BOX_GAP;
      }
      y += 6;
    }
    maxY = Math.max(maxY, y);
    parts.push(
      `<g class="lane"><rect x="${x}" y="${PAD}" width="${LANE_W}" height="__LANE_H__" rx="10" fill="#fbfcfe" stroke="#dde3ea"/>` +
        `<text x="${x + LANE_W / 2}" y="${PAD + 26}" text-anchor="middle" class="lane-title">${escapeXml(lane.name)}</text>` +
        `<text x="${x + LANE_W / 2}" y="${PAD + 40}" text-anchor="middle" class="meta">${laneNodes.length} tool${laneNodes.length === 1 ? '' : 's'}</text></g>` +
        body.join(''),
    );
  });

  // Arrows: aggregated per pair of boxes (grouped mode draws one arrow per pair of subcategories).
  const seen = new Map<string, { from: Placed; to: Placed; count: number; personal: boolean; status: string; label: string }>();
  for (const e of edges) {
    const from = placed.get(e.sourceToolId);
    const to = placed.get(e.targetToolId);
    if (!from || !to || from === to) continue;
    const key = `${from.x},${from.y}->${to.x},${to.y}`;
    const cur = seen.get(key);
    if (cur) {
      cur.count++;
      cur.personal ||= e.carriesPersonalData;
      continue;
    }
    seen.set(key, {
      from,
      to,
      count: 1,
      personal: e.carriesPersonalData,
      status: e.status,
      label: `${e.method.toLowerCase()}${e.carriesPersonalData ? ', personal data' : ''}`,
    });
  }
  const arrows: string[] = [];
  for (const a of seen.values()) {
    const sameLane = a.from.x === a.to.x;
    const x1 = sameLane ? a.from.x + a.from.w : a.from.x < a.to.x ? a.from.x + a.from.w : a.from.x;
    const x2 = sameLane ? a.to.x + a.to.w : a.from.x < a.to.x ? a.to.x : a.to.x + a.to.w;
    const y1 = a.from.y + a.from.h / 2;
    const y2 = a.to.y + a.to.h / 2;
    const bend = sameLane ? 40 : (x2 - x1) / 2;
    const d = sameLane
      ? `M${x1},${y1} C${x1 + bend},${y1} ${x2 + bend},${y2} ${x2},${y2}`
      : `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
    const cls = `edge ${a.status.toLowerCase()}${a.personal ? ' personal' : ''}`;
    arrows.push(
      `<path d="${d}" class="${cls}" marker-end="url(#arrow)"><title>${escapeXml(a.count > 1 ? `${a.count} flows` : a.label)}</title></path>`,
    );
  }

  const width = PAD * 2 + lanes.length * (LANE_W + LANE_GAP) - LANE_GAP;
  const height = maxY + PAD;
  const style = `<style>
    .lane-title{font:600 14px system-ui,sans-serif;fill:#1c2430}.sub{font:600 11px system-ui,sans-serif;fill:#5b6776;text-transform:uppercase}
    .name{font:13px system-ui,sans-serif;fill:#1c2430}.sor{font-weight:700}.meta{font:11px system-ui,sans-serif;fill:#5b6776}
    .flag{font:600 10px system-ui,sans-serif;fill:#c0352b}.silo-flag{fill:#6b7785}
    .edge{fill:none;stroke:#7d8aa0;stroke-width:1.4;opacity:.75}.edge.planned{stroke-dasharray:5 4}.edge.broken{stroke:#c0352b}
    .edge.personal{stroke:#b86e00}a:hover rect,a:focus rect{stroke-width:3}</style>`;
  const defs =
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7d8aa0"/></marker></defs>';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="group" aria-label="Stack map: ${nodes.length} tools in ${lanes.length} categories, ${edges.length} integrations" class="stack-map${grouped ? ' grouped' : ''}">` +
    style +
    defs +
    parts.join('').replace(/__LANE_H__/g, String(height - PAD * 2)) +
    `<g class="edges">${arrows.join('')}</g></svg>`
  );
}
