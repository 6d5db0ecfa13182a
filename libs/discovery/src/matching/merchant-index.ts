import { MatchKind } from '../discovery.enums';
import { KNOWN_SAAS, KnownSaas } from './known-saas';
import { normaliseMerchant } from './merchant-normaliser';

/** A catalog tool as the matcher sees it. */
export interface MatchableTool {
  id: string;
  name: string;
  vendorName: string;
  retired: boolean;
}

export interface MerchantMatch {
  toolId: string;
  toolName: string;
  how: MatchKind;
  /** 1 for alias/exact/known matches; the similarity (0..1) of a prefix or fuzzy one. */
  score: number;
}

/** Trigram Dice similarity a fuzzy match needs (0..1), and how far ahead of the runner-up it must be. */
export const FUZZY_THRESHOLD = 0.8;
export const FUZZY_MARGIN = 0.05;
/** Shortest key a prefix match may use ("hub" must not claim "hubspot"). */
const MIN_PREFIX_KEY = 4;

interface Entry {
  tool: MatchableTool;
  key: string;
  compact: string;
}

/**
 * The catalog indexed once per import (not per row): tools by normalised name, vendors by
 * normalised name, the learned aliases, the known-SaaS list and a trigram index for the fuzzy
 * match. `match` is memoised per merchant key, so a file of 100,000 lines with a few thousand
 * merchants costs a few thousand look-ups.
 *
 * Order: a learned alias; the exact tool name; the vendor's name when the vendor has one live tool;
 * the known-SaaS product the key is a billing name of, then its name exactly; a tool whose whole
 * name starts the key (or the key starts the only tool's name); then the best trigram Dice score at
 * or above FUZZY_THRESHOLD, FUZZY_MARGIN ahead of the next. Ambiguous keys stay unmatched (they
 * become candidates, and IT links them once).
 */
export class MerchantIndex {
  private readonly entries: Entry[] = [];
  private readonly byKey = new Map<string, Entry[]>();
  private readonly byVendor = new Map<string, Entry[]>();
  private readonly byTrigram = new Map<string, number[]>();
  private readonly memo = new Map<string, MerchantMatch | null>();
  private readonly toolsById = new Map<string, MatchableTool>();

  constructor(
    tools: readonly MatchableTool[],
    private readonly aliases: ReadonlyMap<string, string> = new Map(),
  ) {
    for (const tool of tools) {
      this.toolsById.set(tool.id, tool);
      const key = normaliseMerchant(tool.name);
      if (!key) continue;
      const entry: Entry = { tool, key, compact: key.replace(/ /g, '') };
      const index = this.entries.push(entry) - 1;
      push(this.byKey, key, entry);
      if (entry.compact !== key) push(this.byKey, entry.compact, entry);
      const vendorKey = normaliseMerchant(tool.vendorName);
      if (vendorKey) push(this.byVendor, vendorKey, entry);
      for (const gram of trigrams(entry.compact)) {
        const postings = this.byTrigram.get(gram);
        if (postings) {
          if (postings[postings.length - 1] !== index) postings.push(index);
        } else this.byTrigram.set(gram, [index]);
      }
    }
  }

  get toolCount(): number {
    return this.toolsById.size;
  }

  /** The tool a normalised merchant key belongs to, or null (memoised). */
  match(key: string): MerchantMatch | null {
    if (!key) return null;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const found = this.find(key);
    this.memo.set(key, found);
    return found;
  }

  private find(key: string): MerchantMatch | null {
    const aliased = this.aliases.get(key);
    const aliasTool = aliased ? this.toolsById.get(aliased) : undefined;
    if (aliasTool) return { toolId: aliasTool.id, toolName: aliasTool.name, how: MatchKind.ALIAS, score: 1 };
    const exact = this.exact(key);
    if (exact) return { ...exact, how: MatchKind.EXACT };
    const product = knownSaas(key);
    if (product) {
      for (const name of [product.name, ...(product.aka ?? [])]) {
        const hit = this.exact(normaliseMerchant(name));
        if (hit) return { ...hit, how: MatchKind.KNOWN };
      }
    }
    return this.prefix(key) ?? this.fuzzy(key);
  }

  private exact(key: string): Omit<MerchantMatch, 'how'> | null {
    const compact = key.replace(/ /g, '');
    const tool = single(this.byKey.get(key) ?? this.byKey.get(compact)) ?? single(this.byVendor.get(key));
    return tool ? { toolId: tool.id, toolName: tool.name, score: 1 } : null;
  }

  private prefix(key: string): MerchantMatch | null {
    if (key.length < MIN_PREFIX_KEY) return null;
    const tokens = key.split(' ');
    // the longest tool name that is the key's first tokens: "hubspot marketing" → HubSpot
    for (let length = tokens.length - 1; length >= 1; length--) {
      const head = tokens.slice(0, length).join(' ');
      if (head.length < MIN_PREFIX_KEY) break;
      const tool = single(this.byKey.get(head));
      if (tool) return { toolId: tool.id, toolName: tool.name, how: MatchKind.PREFIX, score: head.length / key.length };
    }
    return null;
  }

  private fuzzy(key: string): MerchantMatch | null {
    const compact = key.replace(/ /g, '');
    const grams = trigrams(compact);
    if (grams.size < 3) return null;
    const shared = new Map<number, number>();
    for (const gram of grams) for (const index of this.byTrigram.get(gram) ?? []) shared.set(index, (shared.get(index) ?? 0) + 1);
    const byTool = new Map<string, { entry: Entry; score: number }>();
    for (const [index, count] of shared) {
      const entry = this.entries[index];
      const score = (2 * count) / (grams.size + trigrams(entry.compact).size);
      const previous = byTool.get(entry.tool.id);
      if (!previous || score > previous.score) byTool.set(entry.tool.id, { entry, score });
    }
    let best: { entry: Entry; score: number } | null = null;
    let second = 0;
    for (const scored of byTool.values()) {
      if (!best || scored.score > best.score) {
        second = best?.score ?? 0;
        best = scored;
      } else if (scored.score > second) second = scored.score;
    }
    if (!best || best.score < FUZZY_THRESHOLD || best.score - second < FUZZY_MARGIN) return null;
    return { toolId: best.entry.tool.id, toolName: best.entry.tool.name, how: MatchKind.FUZZY, score: round(best.score) };
  }
}

/**
 * The key unmatched lines are grouped under: the known product's own key when the merchant is one of
 * its billing names ("later media" → "later"), else the merchant key itself.
 */
export function candidateKeyOf(key: string): string {
  const product = knownSaas(key);
  return (product && normaliseMerchant(product.name)) || key;
}

/** The known-SaaS product a key names (its name, a billing name or its domain's stem), or null. */
export function knownSaas(key: string): KnownSaas | null {
  const found = KNOWN_BY_KEY.get(key) ?? KNOWN_BY_KEY.get(key.replace(/ /g, ''));
  if (found) return found;
  // "hootsuite pro plan" → Hootsuite: the longest leading words that name a product (5+ letters: "make up store" is no Make)
  const tokens = key.split(' ');
  for (let length = tokens.length - 1; length >= 1; length--) {
    const head = tokens.slice(0, length).join(' ');
    if (head.length <= MIN_PREFIX_KEY) break;
    const product = KNOWN_BY_KEY.get(head);
    if (product) return product;
  }
  return null;
}

const KNOWN_BY_KEY = (() => {
  const map = new Map<string, KnownSaas>();
  for (const product of KNOWN_SAAS) {
    const keys = [product.name, product.domain.split('.')[0], ...(product.aka ?? [])].map(normaliseMerchant);
    for (const key of keys) {
      if (!key) continue;
      if (!map.has(key)) map.set(key, product);
      if (!map.has(key.replace(/ /g, ''))) map.set(key.replace(/ /g, ''), product);
    }
  }
  return map;
})();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The one tool of a list, preferring live tools; null when none or several tools remain. */
function single(entries: Entry[] | undefined): MatchableTool | null {
  if (!entries?.length) return null;
  const ids = new Set(entries.map((entry) => entry.tool.id));
  if (ids.size === 1) return entries[0].tool;
  const live = [...new Map(entries.filter((entry) => !entry.tool.retired).map((entry) => [entry.tool.id, entry.tool])).values()];
  return live.length === 1 ? live[0] : null;
}

const trigramCache = new Map<string, Set<string>>();

/** The character trigrams of `text` padded with spaces (" ho", "hot", …, "ar "). */
export function trigrams(text: string): Set<string> {
  const cached = trigramCache.get(text);
  if (cached) return cached;
  const padded = ` ${text} `;
  const grams = new Set<string>();
  for (let index = 0; index + 3 <= padded.length; index++) grams.add(padded.slice(index, index + 3));
  if (trigramCache.size > 50_000) trigramCache.clear();
  trigramCache.set(text, grams);
  return grams;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
