import { validationFailed } from '@stackgate/platform';
import { GroupingMode } from './stack-map-layout';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Subcategories open at once at most (each one is a link parameter). */
export const MAX_EXPANDED = 50;

export interface MapParams {
  category?: string;
  /** The "Detail" choice as sent: 'true' (groups), 'false' (every tool) or none (automatic). */
  grouped?: 'true' | 'false';
  mode: GroupingMode;
  expand: Set<string>;
}

const single = (value: unknown, name: string): string | undefined => {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw validationFailed(`Give "${name}" once.`);
  return value;
};

/** The stack map's query, checked: a category that is a lane, a known detail level, subcategory ids. Anything else is a 400. */
export function mapParams(query: Record<string, unknown>, lanes: { id: string }[]): MapParams {
  const category = single(query.category, 'category');
  if (category && !lanes.some((lane) => lane.id === category)) throw validationFailed('That category is not a lane of the stack map.');
  const grouped = single(query.grouped, 'grouped');
  if (grouped !== undefined && grouped !== 'true' && grouped !== 'false') {
    throw validationFailed('Detail must be automatic, every tool or grouped by subcategory.');
  }
  const expandText = single(query.expand, 'expand');
  const expand = new Set((expandText ?? '').split(',').filter(Boolean));
  if ([...expand].some((id) => !UUID.test(id))) throw validationFailed('A subcategory to open is not a subcategory id.');
  if (expand.size > MAX_EXPANDED) throw validationFailed(`Open at most ${MAX_EXPANDED} subcategories at once.`);
  return {
    category,
    grouped,
    // One lane on its own is shown in full unless groups were asked for.
    mode: grouped === 'true' ? 'grouped' : grouped === 'false' || category ? 'expanded' : 'auto',
    expand,
  };
}
