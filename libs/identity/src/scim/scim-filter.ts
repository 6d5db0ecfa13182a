import { Filter, parse } from 'scim2-parse-filter';
import type { DataSource } from 'typeorm';
import { ScimException } from './scim-errors';

/** Whether the database is MariaDB/MySQL (case-insensitive collations: caseExact comparisons need BINARY). */
export const isMysql = (dataSource: DataSource): boolean => ['mysql', 'mariadb'].includes(dataSource.options.type);

/** The longest filter accepted (characters). */
export const MAX_FILTER_LENGTH = 1000;

/** How a filterable attribute reads in SQL: a column expression, or an EXISTS over a multi-valued attribute. */
export interface FilterAttribute {
  /** SQL of the attribute (a column), or of a correlated EXISTS with `?` … built by `exists`. */
  column?: string;
  exists?: (condition: (column: string) => string) => string;
  /** Compared as given (true) or case-insensitively (false, RFC 7643 caseExact: false). */
  caseExact: boolean;
  type: 'string' | 'boolean' | 'dateTime';
}

export interface CompiledFilter {
  where: string;
  params: Record<string, unknown>;
}

const likeEscape = (text: string) => text.replace(/[!%_]/g, (char) => `!${char}`);

/**
 * A SCIM filter (RFC 7644 §3.4.2.2), parsed by scim2-parse-filter, as a SQL condition over the
 * attributes a resource type allows. Unknown attributes and operators that do not fit the attribute
 * are 400 invalidFilter; nothing is interpolated (values are bound parameters).
 */
export function compileFilter(
  text: string,
  attributes: Record<string, FilterAttribute>,
  schemaUrn: string,
  options: { binaryCompare?: boolean } = {},
): CompiledFilter {
  if (text.length > MAX_FILTER_LENGTH)
    throw new ScimException(400, `filter is longer than ${MAX_FILTER_LENGTH} characters`, 'invalidFilter');
  let ast: Filter;
  try {
    // (the library's flatten() recurses forever on `not`: value paths are expanded below instead)
    ast = parse(text);
  } catch (err) {
    throw new ScimException(400, `filter is not a valid SCIM filter: ${(err as Error).message}`.slice(0, 300), 'invalidFilter');
  }
  const params: Record<string, unknown> = {};
  const lookup = new Map(Object.entries(attributes).map(([name, attribute]) => [name.toLowerCase(), attribute]));
  const prefix = `${schemaUrn.toLowerCase()}:`;

  const bind = (value: unknown): string => {
    const name = `f${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
  };

  const compare = (
    node: Extract<Filter, { attrPath: string; compValue?: unknown }>,
    column: string,
    attribute: FilterAttribute,
  ): string => {
    const path = node.attrPath;
    if (node.op === 'pr') return attribute.type === 'string' ? `(${column} IS NOT NULL AND ${column} <> '')` : `${column} IS NOT NULL`;
    const value = (node as { compValue: unknown }).compValue;
    if (attribute.type === 'boolean') {
      if (typeof value !== 'boolean' || !['eq', 'ne'].includes(node.op))
        throw new ScimException(400, `${path} is a boolean: compare it with eq or ne and true or false`, 'invalidFilter');
      return `${column} ${node.op === 'eq' ? '=' : '<>'} ${bind(value)}`;
    }
    if (value === null) {
      if (node.op === 'eq') return `${column} IS NULL`;
      if (node.op === 'ne') return `${column} IS NOT NULL`;
    }
    if (typeof value !== 'string') throw new ScimException(400, `${path} is compared with a string`, 'invalidFilter');
    if (attribute.type === 'dateTime') {
      const instant = new Date(value);
      if (Number.isNaN(instant.getTime())) throw new ScimException(400, `${path} is compared with a date-time`, 'invalidFilter');
      const sqlOp = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' }[node.op as string];
      if (!sqlOp) throw new ScimException(400, `${node.op} does not apply to the date-time ${path}`, 'invalidFilter');
      return `${column} ${sqlOp} ${bind(instant)}`;
    }
    const side = attribute.caseExact ? column : `LOWER(${column})`;
    const operand = attribute.caseExact ? value : value.toLowerCase();
    // MariaDB/MySQL compare with the column's case-insensitive collation: a caseExact attribute compares bytes there
    const exact = attribute.caseExact && options.binaryCompare ? 'BINARY ' : '';
    switch (node.op) {
      case 'eq':
        return `${side} = ${exact}${bind(operand)}`;
      case 'ne':
        return `(${column} IS NULL OR ${side} <> ${exact}${bind(operand)})`;
      case 'co':
        return `${side} LIKE ${exact}${bind(`%${likeEscape(operand)}%`)} ESCAPE '!'`;
      case 'sw':
        return `${side} LIKE ${exact}${bind(`${likeEscape(operand)}%`)} ESCAPE '!'`;
      case 'ew':
        return `${side} LIKE ${exact}${bind(`%${likeEscape(operand)}`)} ESCAPE '!'`;
      case 'gt':
      case 'ge':
      case 'lt':
      case 'le':
        return `${side} ${{ gt: '>', ge: '>=', lt: '<', le: '<=' }[node.op]} ${bind(operand)}`;
      default:
        throw new ScimException(400, `Unknown filter operator ${node.op}`, 'invalidFilter');
    }
  };

  /** `emails[type eq "work" and value eq "x"]` reads as `emails.type eq "work" and emails.value eq "x"` (`within` = "emails."). */
  const walk = (node: Filter, within = ''): string => {
    switch (node.op) {
      case 'and':
      case 'or':
        return `(${(node as { filters: Filter[] }).filters.map((child) => walk(child, within)).join(node.op === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `NOT (${walk((node as { filter: Filter }).filter, within)})`;
      case '[]': {
        const valuePath = node;
        if (within) throw new ScimException(400, 'Value filters cannot be nested', 'invalidFilter');
        return walk(valuePath.valFilter, `${valuePath.attrPath}.`);
      }
      default: {
        const leaf = node as Extract<Filter, { attrPath: string }>;
        let path = `${within}${leaf.attrPath}`.toLowerCase();
        if (path.startsWith(prefix)) path = path.slice(prefix.length);
        const attribute = lookup.get(path);
        if (!attribute) throw new ScimException(400, `Cannot filter on ${within}${leaf.attrPath}`, 'invalidFilter');
        if (attribute.exists) return attribute.exists((column) => compare(leaf, column, attribute));
        return compare(leaf, attribute.column!, attribute);
      }
    }
  };
  return { where: walk(ast), params };
}
