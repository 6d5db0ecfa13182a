import { ApiProperty } from '@nestjs/swagger';
import { QueryIntField, StringField } from '../validation/fields';
import { PlatformError, PlatformErrorCode } from '../errors/domain-error';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `page` (from 1) and `pageSize` (1–200, default 50). Extend it for a list's filters. */
export class PageQueryDto {
  @QueryIntField({ min: 1, max: 1_000_000, default: 1, description: 'Page number, from 1' })
  page?: number;

  @QueryIntField({ min: 1, max: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Items per page, 1–200' })
  pageSize?: number;
}

export class SortablePageQueryDto extends PageQueryDto {
  @StringField({
    optional: true,
    max: 60,
    pattern: /^-?[A-Za-z]+$/,
    patternMessage: 'sort must be a field name, optionally prefixed by - for descending',
    description: 'Field to sort by; prefix with - for descending (e.g. -updatedAt)',
  })
  sort?: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export function pageParams(query: PageQueryDto): { page: number; pageSize: number; skip: number; take: number } {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  return { page, pageSize, skip: (page - 1) * pageSize, take: pageSize };
}

/**
 * Resolves `sort` against an allow-list of field → column expressions, so no client text ever
 * reaches SQL. Unknown fields are a 400.
 */
export function resolveSort(
  sort: string | undefined,
  allowed: Record<string, string>,
  fallback: string,
): { column: string; direction: 'ASC' | 'DESC' } {
  const raw = sort ?? fallback;
  const desc = raw.startsWith('-');
  const field = desc ? raw.slice(1) : raw;
  const column = allowed[field];
  if (!column)
    throw new PlatformError(
      PlatformErrorCode.INVALID_SORT,
      `sort must be one of: ${Object.keys(allowed)
        .map((f) => `${f}, -${f}`)
        .join(', ')}`,
    );
  return { column, direction: desc ? 'DESC' : 'ASC' };
}

/** OpenAPI schema helper for `{items, page, pageSize, total}`. */
export abstract class PageMetaResponse {
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
