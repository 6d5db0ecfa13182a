/**
 * Flows between boxes, aggregated per pair of boxes and routed orthogonally where no box is: out of
 * the side of the source box into the gutter beside its lane, along that gutter (gutters run the
 * whole height of the map), across the map only in the band under a row of lanes, down or up the
 * gutter beside the target lane, and into the side of the target box. Lanes in one column share
 * their gutters, so every vertical run is in a gutter and every horizontal run is either a stub
 * between a box and its own gutter or in a band: no line crosses a box it does not connect.
 */
import { GEOMETRY, MapBox, MapEdge, MapGrid } from './stack-map-layout';

export const DEFAULT_MAX_LINKS = 800;
const TRACK_STEP = 5;
const BAND_STEP = 4;

export type Point = [number, number];

export interface MapLink {
  from: string;
  to: string;
  points: Point[];
  /** Flows the link stands for. */
  count: number;
  personal: boolean;
  /** ACTIVE, PLANNED or BROKEN when all its flows share it, else MIXED. */
  status: string;
  methods: string[];
}

export interface RoutedLinks {
  links: MapLink[];
  /** Flows in links left out to keep the map bounded (the weakest links go first). */
  hiddenFlows: number;
  /** Flows between tools of the same collapsed group (drawn as the group's own count). */
  internalFlows: number;
}

interface Aggregate {
  from: string;
  to: string;
  count: number;
  personal: boolean;
  statuses: Set<string>;
  methods: Set<string>;
}

export function aggregateFlows(grid: MapGrid, edges: MapEdge[]): { pairs: Aggregate[]; internal: number } {
  const pairs = new Map<string, Aggregate>();
  let internal = 0;
  for (const edge of edges) {
    const from = grid.boxOfTool.get(edge.sourceToolId);
    const to = grid.boxOfTool.get(edge.targetToolId);
    if (!from || !to) continue;
    if (from === to) {
      internal++;
      continue;
    }
    const key = `${from}>${to}`;
    let pair = pairs.get(key);
    if (!pair) {
      pair = { from, to, count: 0, personal: false, statuses: new Set(), methods: new Set() };
      pairs.set(key, pair);
    }
    pair.count++;
    pair.personal ||= edge.carriesPersonalData;
    pair.statuses.add(edge.status);
    pair.methods.add(edge.method);
  }
  return { pairs: [...pairs.values()], internal };
}

/** Gutter `index` runs left of column `index` (0 = the map's left edge, `columns` = its right edge). */
function gutterSpan(index: number, mapWidth: number): [number, number] {
  const geo = GEOMETRY;
  const boxRight = (col: number) => geo.padX + col * (geo.laneWidth + geo.gutter) + geo.laneMargin + geo.boxWidth;
  const boxLeft = (col: number) => geo.padX + col * (geo.laneWidth + geo.gutter) + geo.laneMargin;
  return [index === 0 ? 0 : boxRight(index - 1), Math.min(mapWidth, boxLeft(index))];
}

class Tracks {
  private readonly used = new Map<string, number>();
  next(key: string, start: number, end: number, step: number): number {
    const slots = Math.max(1, Math.floor((end - start) / step));
    const taken = this.used.get(key) ?? 0;
    this.used.set(key, taken + 1);
    // Fill from the middle outwards so lone lines sit in the middle of their gutter.
    const middle = Math.floor(slots / 2);
    const slot = middle + (taken % 2 ? -1 : 1) * Math.ceil((taken % slots) / 2);
    return start + step / 2 + Math.min(slots - 1, Math.max(0, slot)) * step;
  }
}

/** Where on a box's side the n-th line leaves or arrives (spread over the middle of the side). */
function portY(box: MapBox, tracks: Tracks, side: string): number {
  return tracks.next(`${box.key}:${side}`, box.y + 6, box.y + box.h - 6, 4);
}

function routeLink(from: MapBox, to: MapBox, grid: MapGrid, tracks: Tracks): Point[] {
  const geo = GEOMETRY;
  const gutterX = (index: number) => {
    const [start, end] = gutterSpan(index, grid.width);
    return tracks.next(`g${index}`, start + 6, end - 6, TRACK_STEP);
  };
  if (from.col === to.col) {
    const gutter = gutterX(from.col + 1);
    const y1 = portY(from, tracks, 'r');
    const y2 = portY(to, tracks, 'r');
    return [
      [from.x + from.w, y1],
      [gutter, y1],
      [gutter, y2],
      [to.x + to.w, y2],
    ];
  }
  const rightward = to.col > from.col;
  const leave = rightward ? from.x + from.w : from.x;
  const arrive = rightward ? to.x : to.x + to.w;
  const y1 = portY(from, tracks, rightward ? 'r' : 'l');
  const y2 = portY(to, tracks, rightward ? 'l' : 'r');
  const x1 = gutterX(rightward ? from.col + 1 : from.col);
  if (Math.abs(to.col - from.col) === 1) {
    return [
      [leave, y1],
      [x1, y1],
      [x1, y2],
      [arrive, y2],
    ];
  }
  const bandTop = grid.rowBottoms[Math.min(from.row, to.row)];
  const bandY = tracks.next(`b${Math.min(from.row, to.row)}`, bandTop + 4, bandTop + geo.band - 4, BAND_STEP);
  const x2 = gutterX(rightward ? to.col : to.col + 1);
  return [
    [leave, y1],
    [x1, y1],
    [x1, bandY],
    [x2, bandY],
    [x2, y2],
    [arrive, y2],
  ];
}

/** The links to draw: aggregated, the `maxLinks` strongest kept, each routed around the boxes. */
export function routeFlows(grid: MapGrid, edges: MapEdge[], maxLinks = DEFAULT_MAX_LINKS): RoutedLinks {
  const { pairs, internal } = aggregateFlows(grid, edges);
  const boxes = new Map(grid.boxes.map((box) => [box.key, box]));
  const kept = [...pairs].sort((a, b) => b.count - a.count).slice(0, maxLinks);
  const hiddenFlows = pairs.reduce((sum, pair) => sum + pair.count, 0) - kept.reduce((sum, pair) => sum + pair.count, 0);
  // Routed top to bottom, so the tracks of a gutter are handed out in reading order.
  kept.sort((a, b) => boxes.get(a.from)!.y - boxes.get(b.from)!.y || boxes.get(a.to)!.y - boxes.get(b.to)!.y);
  const tracks = new Tracks();
  const links = kept.map((pair) => ({
    from: pair.from,
    to: pair.to,
    points: routeLink(boxes.get(pair.from)!, boxes.get(pair.to)!, grid, tracks),
    count: pair.count,
    personal: pair.personal,
    status: pair.statuses.size === 1 ? [...pair.statuses][0] : 'MIXED',
    methods: [...pair.methods].sort(),
  }));
  return { links, hiddenFlows, internalFlows: internal };
}

/** The SVG path of a link (orthogonal: M, then H and V runs). */
export function pathOf(points: Point[]): string {
  let path = `M${points[0][0]},${points[0][1]}`;
  for (let i = 1; i < points.length; i++) {
    const [toX, toY] = points[i];
    const [fromX, fromY] = points[i - 1];
    if (toY === fromY) path += `H${toX}`;
    else if (toX === fromX) path += `V${toY}`;
    else path += `L${toX},${toY}`;
  }
  return path;
}
