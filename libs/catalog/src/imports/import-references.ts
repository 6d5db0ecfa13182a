import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PeopleDirectory, PersonRef } from '@stackgate/identity';
import { CatalogQueries, CostCenterRef, SubcategoryRef, ToolRef, VendorRef } from '../catalog-queries';
import type { ImportRow, ReferenceDeclaration, ResolvedReferences } from './import-kind';

/** The references any import kind may declare, and what each resolves to. */
export interface ReferenceValue {
  'tool-by-name': ToolRef;
  'vendor-by-name': VendorRef;
  'subcategory-by-name': SubcategoryRef;
  'cost-center-by-code': CostCenterRef;
  'user-by-email': PersonRef;
}
export type ReferenceKind = keyof ReferenceValue;

/** Distinct values looked up per query. */
export const REFERENCE_CHUNK = 500;

interface Resolver<V> {
  /** The key a cell value is looked up by (how the owner stores it: lower-cased names, upper-cased codes). */
  normalize(raw: string): string;
  /** Longer keys cannot exist (the owner's column is that wide): never sent to the database. */
  maxKeyLength: number;
  /** One query for one chunk of keys, answering the records found by key. */
  load(manager: EntityManager, keys: string[]): Promise<Map<string, V>>;
}

const lower = (s: string) => s.trim().toLowerCase();
const byKey = <V>(rows: V[], key: (v: V) => string) => new Map(rows.map((r) => [key(r), r]));

/**
 * Resolves the references import rows name, through the owners' exported query services
 * (CatalogQueries for tools, vendors, subcategories and cost centers; identity's PeopleDirectory
 * for users), in the caller's transaction: one query per reference kind per chunk of
 * REFERENCE_CHUNK distinct values, whatever the number of rows and columns naming them.
 */
@Injectable()
export class ImportReferences {
  private readonly resolvers: { [K in ReferenceKind]: Resolver<ReferenceValue[K]> };

  constructor(catalog: CatalogQueries, people: PeopleDirectory) {
    this.resolvers = {
      'tool-by-name': {
        normalize: lower,
        maxKeyLength: 200,
        load: async (m, keys) => byKey(await catalog.toolsByNameKeys(m, keys), (t) => t.nameKey),
      },
      'vendor-by-name': {
        normalize: lower,
        maxKeyLength: 200,
        load: async (m, keys) => byKey(await catalog.vendorsByNameKeys(m, keys), (v) => v.nameKey),
      },
      'subcategory-by-name': {
        normalize: lower,
        maxKeyLength: 120,
        load: async (m, keys) => byKey(await catalog.subcategoriesByNameKeys(m, keys), (s) => s.nameKey),
      },
      'cost-center-by-code': {
        normalize: (s) => s.trim().toUpperCase(),
        maxKeyLength: 40,
        load: async (m, keys) => byKey(await catalog.costCentersByCodes(m, keys), (c) => c.code.toUpperCase()),
      },
      'user-by-email': {
        normalize: lower,
        maxKeyLength: 254,
        load: async (m, keys) => byKey(await people.byEmails(m, keys), (p) => p.email.toLowerCase()),
      },
    };
  }

  /** Everything `declarations` name in `rows`, looked up. */
  async resolve(
    manager: EntityManager,
    declarations: readonly ReferenceDeclaration[],
    rows: readonly ImportRow[],
  ): Promise<ResolvedReferences> {
    const wanted = new Map<ReferenceKind, Set<string>>();
    for (const declaration of declarations) {
      const resolver = this.resolvers[declaration.ref];
      const keys = wanted.get(declaration.ref) ?? new Set<string>();
      wanted.set(declaration.ref, keys);
      const columns = typeof declaration.column === 'string' ? [declaration.column] : declaration.column;
      for (const row of rows) {
        for (const column of columns) {
          const cell = row.values[column];
          if (!cell) continue;
          for (const raw of declaration.keys ? declaration.keys(cell) : [cell]) {
            const key = resolver.normalize(raw);
            if (key && key.length <= resolver.maxKeyLength) keys.add(key);
          }
        }
      }
    }
    const found = new Map<ReferenceKind, Map<string, unknown>>();
    for (const [ref, keys] of wanted) {
      const all = new Map<string, unknown>();
      for (const chunk of chunks([...keys], REFERENCE_CHUNK)) {
        for (const [key, value] of await this.resolvers[ref].load(manager, chunk)) all.set(key, value);
      }
      found.set(ref, all);
    }
    const resolvers = this.resolvers;
    return {
      get<K extends ReferenceKind>(ref: K, raw: string): ReferenceValue[K] | undefined {
        const map = found.get(ref);
        if (!map) throw new Error(`the import kind reads the reference "${ref}" without declaring it`);
        return map.get(resolvers[ref].normalize(raw)) as ReferenceValue[K] | undefined;
      },
    };
  }
}

/** `items` in slices of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
