import { IntegrationMethod, IntegrationStatus } from './integration.entity';

/** "One active flow per (source, target, method)": the unique key while the flow is not retired. */
export function liveKeyOf(sourceToolId: string, targetToolId: string, method: IntegrationMethod, status: IntegrationStatus): string | null {
  return status === IntegrationStatus.RETIRED ? null : `${sourceToolId}:${targetToolId}:${method}`;
}

/** Data-object tags: trimmed, deduplicated regardless of case, order kept. */
export function normalizeDataObjects(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags.map((t) => t.trim()).filter((t) => t && !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase()));
}
