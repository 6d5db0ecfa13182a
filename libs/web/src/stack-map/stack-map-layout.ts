/**
 * Where everything on the stack map goes: lanes (one per top-level category) in a grid of `columns`
 * lanes per row, each lane's subcategories under a wrapped heading, and a box per tool — or one box
 * per subcategory when it holds more than `collapseAbove` tools (expanded on request, within a
 * budget of boxes so the map stays bounded at 10,000 tools). Pure: no markup, only coordinates.
 * Flows are routed by stack-map-routing.ts in the gutters this layout leaves between the lanes.
 */
import { abbreviateName, wrapHeading } from './stack-map-text';

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

/** auto: subcategories above the threshold collapse; grouped: all collapse; expanded: all open (within the box budget). */
export type GroupingMode = 'auto' | 'grouped' | 'expanded';

export interface LayoutOptions {
  /** Lanes per row (3 on a laptop, 1 on a phone). */
  columns: number;
  mode?: GroupingMode;
  /** A subcategory with more tools than this is one box in `auto` mode. */
  collapseAbove?: number;
  /** Subcategories shown tool by tool whatever their size (the user opened them). */
  expand?: ReadonlySet<string>;
  /** Tool boxes drawn at most; groups that do not fit stay collapsed. */
  maxToolBoxes?: number;
  /** Tool boxes of one open subcategory at most; the rest are one "more" box. */
  maxPerGroup?: number;
}

export const DEFAULT_COLLAPSE_ABOVE = 8;
export const DEFAULT_MAX_TOOL_BOXES = 1200;
export const DEFAULT_MAX_PER_GROUP = 120;

export const GEOMETRY = {
  laneWidth: 300,
  boxWidth: 260,
  /** Space between a lane's edge and its boxes: part of the gutter edges run in. */
  laneMargin: 20,
  /** Space between two lanes. */
  gutter: 40,
  /** Left and right of the grid (the outer gutters). */
  padX: 44,
  padY: 12,
  laneHead: 48,
  boxHeight: 34,
  groupHeight: 48,
  boxGap: 8,
  headingLine: 14,
  /** Space under each row of lanes: the horizontal channel edges cross the map in. */
  band: 40,
} as const;

export interface MapBox {
  /** The tool id, `g:<subcategoryId>` for a group, `m:<subcategoryId>` for the rest of an open group. */
  key: string;
  kind: 'tool' | 'group' | 'more';
  x: number;
  y: number;
  w: number;
  h: number;
  col: number;
  row: number;
  label: string;
  subcategoryId: string;
  subcategoryName: string;
  /** The tools the box stands for (one for a tool box). */
  members: MapNode[];
}

export interface MapHeading {
  subcategoryId: string;
  x: number;
  y: number;
  lines: string[];
  full: string;
  /** The subcategory is open only because the user asked (it can be collapsed again). */
  openedByUser: boolean;
}

export interface PlacedLane {
  lane: MapLane;
  x: number;
  y: number;
  w: number;
  h: number;
  col: number;
  row: number;
  toolCount: number;
}

export interface MapGrid {
  columns: number;
  width: number;
  height: number;
  lanes: PlacedLane[];
  headings: MapHeading[];
  boxes: MapBox[];
  /** Each tool's box key (a tool inside a collapsed group maps to the group's box). */
  boxOfTool: Map<string, string>;
  /** Bottom of each row of lanes (the band under it starts there). */
  rowBottoms: number[];
  collapsedGroups: number;
}

interface LaneContent {
  height: number;
  headings: MapHeading[];
  boxes: MapBox[];
}

function bySubcategory(nodes: MapNode[]): MapNode[][] {
  const groups = new Map<string, MapNode[]>();
  for (const node of nodes) {
    const members = groups.get(node.subcategoryId);
    if (members) members.push(node);
    else groups.set(node.subcategoryId, [node]);
  }
  return [...groups.values()].sort((a, b) => a[0].subcategoryName.localeCompare(b[0].subcategoryName));
}

/** Which subcategories are drawn tool by tool: the small ones and those asked for, while the box budget lasts. */
export function openSubcategories(nodes: MapNode[], opts: Omit<LayoutOptions, 'columns'> = {}): Set<string> {
  const perGroup = opts.maxPerGroup ?? DEFAULT_MAX_PER_GROUP;
  let budget = opts.maxToolBoxes ?? DEFAULT_MAX_TOOL_BOXES;
  const open = new Set<string>();
  // Asked-for groups first, then the smallest, so the budget opens as many groups as it can.
  const asked = (members: MapNode[]) => Number(opts.expand?.has(members[0].subcategoryId) ?? false);
  const groups = bySubcategory(nodes).sort((a, b) => asked(b) - asked(a) || a.length - b.length);
  for (const members of groups) {
    const id = members[0].subcategoryId;
    const wanted = opts.expand?.has(id) || openAnyway(members.length, opts);
    const cost = Math.min(members.length, perGroup) + (members.length > perGroup ? 1 : 0);
    if (!wanted || cost > budget) continue;
    open.add(id);
    budget -= cost;
  }
  return open;
}

/** Whether a subcategory of `size` tools is shown tool by tool without being asked for. */
function openAnyway(size: number, opts: Omit<LayoutOptions, 'columns'>): boolean {
  const mode = opts.mode ?? 'auto';
  return mode === 'expanded' || (mode === 'auto' && size <= (opts.collapseAbove ?? DEFAULT_COLLAPSE_ABOVE));
}

function layOutLane(laneNodes: MapNode[], laneX: number, open: Set<string>, opts: LayoutOptions): LaneContent {
  const geo = GEOMETRY;
  const boxX = laneX + geo.laneMargin;
  const perGroup = opts.maxPerGroup ?? DEFAULT_MAX_PER_GROUP;
  const headings: MapHeading[] = [];
  const boxes: MapBox[] = [];
  let top = geo.laneHead;
  for (const members of bySubcategory(laneNodes)) {
    const sub = members[0];
    const lines = wrapHeading(sub.subcategoryName);
    const isOpen = open.has(sub.subcategoryId);
    headings.push({
      subcategoryId: sub.subcategoryId,
      x: boxX,
      y: top,
      lines,
      full: sub.subcategoryName,
      openedByUser: isOpen && !!opts.expand?.has(sub.subcategoryId) && !openAnyway(members.length, opts),
    });
    top += lines.length * geo.headingLine + 6;
    const base = { col: 0, row: 0, x: boxX, w: geo.boxWidth, subcategoryId: sub.subcategoryId, subcategoryName: sub.subcategoryName };
    if (!isOpen) {
      boxes.push({
        ...base,
        key: `g:${sub.subcategoryId}`,
        kind: 'group',
        y: top,
        h: geo.groupHeight,
        label: sub.subcategoryName,
        members,
      });
      top += geo.groupHeight + geo.boxGap;
    } else {
      const sorted = [...members].sort((a, b) => a.name.localeCompare(b.name));
      for (const node of sorted.slice(0, perGroup)) {
        boxes.push({ ...base, key: node.id, kind: 'tool', y: top, h: geo.boxHeight, label: abbreviateName(node.name), members: [node] });
        top += geo.boxHeight + geo.boxGap;
      }
      if (sorted.length > perGroup) {
        const rest = sorted.slice(perGroup);
        boxes.push({
          ...base,
          key: `m:${sub.subcategoryId}`,
          kind: 'more',
          y: top,
          h: geo.boxHeight,
          label: `${rest.length} more`,
          members: rest,
        });
        top += geo.boxHeight + geo.boxGap;
      }
    }
    top += 8;
  }
  return { height: Math.max(top, geo.laneHead + 40), headings, boxes };
}

/** Lanes in a grid of `opts.columns` per row; every tool gets a box (its own, its group's, or its group's "more"). */
export function layOutGrid(lanes: MapLane[], nodes: MapNode[], opts: LayoutOptions): MapGrid {
  const geo = GEOMETRY;
  const columns = Math.max(1, Math.min(opts.columns, lanes.length || 1));
  const open = openSubcategories(nodes, opts);
  const byLane = new Map<string, MapNode[]>();
  for (const node of nodes) {
    const list = byLane.get(node.categoryId);
    if (list) list.push(node);
    else byLane.set(node.categoryId, [node]);
  }
  const placedLanes: PlacedLane[] = [];
  const headings: MapHeading[] = [];
  const boxes: MapBox[] = [];
  const rowBottoms: number[] = [];
  let rowTop = geo.padY;
  for (let row = 0; row * columns < lanes.length; row++) {
    const rowLanes = lanes.slice(row * columns, (row + 1) * columns);
    const contents = rowLanes.map((lane, col) =>
      layOutLane(byLane.get(lane.id) ?? [], geo.padX + col * (geo.laneWidth + geo.gutter), open, opts),
    );
    const rowHeight = Math.max(...contents.map((c) => c.height));
    rowLanes.forEach((lane, col) => {
      const laneX = geo.padX + col * (geo.laneWidth + geo.gutter);
      placedLanes.push({
        lane,
        x: laneX,
        y: rowTop,
        w: geo.laneWidth,
        h: rowHeight,
        col,
        row,
        toolCount: byLane.get(lane.id)?.length ?? 0,
      });
      for (const heading of contents[col].headings) headings.push({ ...heading, y: heading.y + rowTop });
      for (const box of contents[col].boxes) boxes.push({ ...box, y: box.y + rowTop, col, row });
    });
    rowTop += rowHeight;
    rowBottoms.push(rowTop);
    rowTop += geo.band;
  }
  const boxOfTool = new Map<string, string>();
  for (const box of boxes) for (const member of box.members) boxOfTool.set(member.id, box.key);
  return {
    columns,
    width: geo.padX * 2 + columns * geo.laneWidth + (columns - 1) * geo.gutter,
    height: rowTop + geo.padY,
    lanes: placedLanes,
    headings,
    boxes,
    boxOfTool,
    rowBottoms,
    collapsedGroups: boxes.filter((b) => b.kind === 'group').length,
  };
}
