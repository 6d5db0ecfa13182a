import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { CatalogQueries } from '@stackgate/catalog';
import { PeopleDirectory } from '@stackgate/identity';
import { NotificationsService } from '@stackgate/notifications';
import { AuthUser, isUniqueViolation, Role, sqlBigInt, uuidv7 } from '@stackgate/platform';
import { CandidateSource, CandidateStatus } from '../discovery.enums';
import { DiscoveryError, DiscoveryErrorCode } from '../discovery.errors';
import { knownSaas } from '../matching/merchant-index';
import { titleCase } from '../matching/merchant-normaliser';
import { DiscoveryCandidate } from './discovery-candidate.entity';
import { DiscoveryTransaction } from './discovery-transaction.entity';

/**
 * Evidence of a tool nobody registered, from any source: spend (card, expense, payables) or the
 * identity provider's app list. `key` is the normalised merchant or app name (normaliseMerchant).
 */
export interface CandidateEvidence {
  source: CandidateSource;
  key: string;
  /** Default: the known product's name, else the key in title case. */
  displayName?: string;
  /** Spend not held as discovery transactions, in base-currency minor units: ADDED to the candidate's total. */
  totalBaseMinor?: bigint;
  /** Transactions behind `totalBaseMinor`: added. */
  transactions?: number;
  /** Identity-provider snapshot: REPLACES the stored counts (the latest export wins). */
  assignedUsers?: number | null;
  activeUsers?: number | null;
  /** Widen the candidate's first/last seen (YYYY-MM-DD). */
  firstSeen?: string | null;
  lastSeen?: string | null;
}

export interface UpsertedCandidate {
  candidate: DiscoveryCandidate;
  /** A new candidate (OPEN): the import that produced it notifies IT and the CIO (notifyNewCandidates). */
  created: boolean;
}

const KEYS_PER_QUERY = 500;

/**
 * Writes discovery candidates from evidence, in the caller's transaction: the one door every source
 * (spend import, identity-provider import) goes through, so candidates are keyed, named, classified
 * (suggested subcategory from the known-SaaS list), audited and announced the same way.
 */
@Injectable()
export class CandidateEvidenceService {
  constructor(
    private readonly audit: AuditService,
    private readonly catalog: CatalogQueries,
    private readonly notifications: NotificationsService,
    private readonly people: PeopleDirectory,
  ) {}

  /**
   * Upserts one candidate per (source, key) of `evidence`: a new key becomes an OPEN candidate
   * ('discovery_candidate.created' audited, its subcategory suggested); an existing one (any status:
   * a dismissed merchant stays dismissed) gets the evidence merged as CandidateEvidence says. Answers
   * by key "<source>:<key>". Evidence with an empty key is skipped.
   */
  async upsertFromEvidence(manager: EntityManager, actor: AuthUser | null, evidence: readonly CandidateEvidence[]) {
    const out = new Map<string, UpsertedCandidate>();
    const merged = mergeEvidence(evidence.filter((e) => e.key));
    const bySource = new Map<CandidateSource, CandidateEvidence[]>();
    for (const item of merged.values()) bySource.set(item.source, [...(bySource.get(item.source) ?? []), item]);
    const now = new Date();
    const created: DiscoveryCandidate[] = [];
    for (const [source, items] of bySource) {
      for (let start = 0; start < items.length; start += KEYS_PER_QUERY) {
        const slice = items.slice(start, start + KEYS_PER_QUERY);
        const existing = await manager
          .getRepository(DiscoveryCandidate)
          .find({ where: { source, merchantKey: In(slice.map((e) => e.key)) } });
        const byKey = new Map(existing.map((c) => [c.merchantKey, c]));
        const suggestions = await this.suggestions(
          manager,
          slice.filter((e) => !byKey.has(e.key)),
        );
        for (const item of slice) {
          const found = byKey.get(item.key);
          if (found) {
            const changes = applyEvidence(found, item);
            if (Object.keys(changes).length) {
              await manager.getRepository(DiscoveryCandidate).update({ id: found.id }, { ...changes, updatedAt: now });
              Object.assign(found, changes);
            }
            out.set(`${source}:${item.key}`, { candidate: found, created: false });
            continue;
          }
          const candidate = Object.assign(new DiscoveryCandidate(), {
            id: uuidv7(),
            source,
            merchantKey: item.key,
            displayName: (item.displayName ?? knownSaas(item.key)?.name ?? titleCase(item.key)).slice(0, 200),
            status: CandidateStatus.OPEN,
            suggestedSubcategoryId: suggestions.get(item.key) ?? null,
            totalBaseMinor: item.totalBaseMinor ?? 0n,
            transactions: item.transactions ?? 0,
            payers: 0,
            firstSeen: item.firstSeen ?? null,
            lastSeen: item.lastSeen ?? null,
            assignedUsers: item.assignedUsers ?? null,
            activeUsers: item.activeUsers ?? null,
            toolId: null,
            dismissReason: null,
            decidedById: null,
            decidedAt: null,
            version: 1,
            createdAt: now,
            updatedAt: now,
          });
          created.push(candidate);
          out.set(`${source}:${item.key}`, { candidate, created: true });
        }
      }
    }
    try {
      for (let start = 0; start < created.length; start += 200)
        await manager.getRepository(DiscoveryCandidate).insert(created.slice(start, start + 200));
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new DiscoveryError(
        DiscoveryErrorCode.DISCOVERY_CONFLICT,
        'Another import found the same merchants at the same moment: nothing of this one was written; import the file again',
      );
    }
    if (created.length)
      await this.audit.recordMany(
        manager,
        created.map((c) => ({
          action: 'discovery_candidate.created',
          entityType: 'DiscoveryCandidate',
          entityId: c.id,
          after: { source: c.source, merchant: c.merchantKey, name: c.displayName, status: c.status },
          ...(actor ? { actor: { id: actor.id, email: actor.email } } : {}),
        })),
        { newEntities: true },
      );
    return out;
  }

  /**
   * Recomputes the spend figures of `candidateIds` from their transactions (total in the base
   * currency, count, distinct payers, first and last seen): one GROUP BY per 500 candidates.
   */
  async refreshSpendTotals(manager: EntityManager, candidateIds: readonly string[]): Promise<void> {
    const ids = [...new Set(candidateIds)];
    for (let start = 0; start < ids.length; start += KEYS_PER_QUERY) {
      const slice = ids.slice(start, start + KEYS_PER_QUERY);
      const rows = await manager
        .getRepository(DiscoveryTransaction)
        .createQueryBuilder('t')
        .select('t.candidateId', 'candidateId')
        .addSelect('SUM(t.baseAmountMinor)', 'total')
        .addSelect('COUNT(*)', 'n')
        .addSelect('COUNT(DISTINCT t.employee)', 'payers')
        .addSelect('MIN(t.date)', 'firstSeen')
        .addSelect('MAX(t.date)', 'lastSeen')
        .where('t.candidateId IN (:...ids)', { ids: slice })
        .groupBy('t.candidateId')
        .getRawMany<{ candidateId: string; total: unknown; n: unknown; payers: unknown; firstSeen: unknown; lastSeen: unknown }>();
      const byId = new Map(rows.map((r) => [r.candidateId, r]));
      for (const id of slice) {
        const row = byId.get(id);
        await manager.getRepository(DiscoveryCandidate).update(
          { id },
          {
            totalBaseMinor: row ? sqlBigInt(row.total) : 0n,
            transactions: row ? Number(row.n) : 0,
            payers: row ? Number(row.payers) : 0,
            firstSeen: row ? dateOf(row.firstSeen) : null,
            lastSeen: row ? dateOf(row.lastSeen) : null,
          },
        );
      }
    }
  }

  /**
   * Tells IT and the CIO (inbox and e-mail, through the outbox, in the caller's transaction) that an
   * import found new candidates; the importer is not told about their own import. Once per import.
   */
  async notifyNewCandidates(manager: EntityManager, actor: AuthUser | null, candidates: readonly DiscoveryCandidate[], importName: string) {
    if (!candidates.length) return;
    const recipients = (await this.people.activeWithRoles([Role.IT, Role.CIO], manager)).filter((u) => u.id !== actor?.id);
    if (!recipients.length) return;
    const sorted = [...candidates].sort((a, b) => (a.totalBaseMinor > b.totalBaseMinor ? -1 : a.totalBaseMinor < b.totalBaseMinor ? 1 : 0));
    await this.notifications.enqueue(manager, {
      event: 'discovery-candidates-found',
      recipients,
      data: {
        count: candidates.length,
        single: candidates.length === 1,
        source: importName,
        names: sorted
          .slice(0, 10)
          .map((c) => c.displayName)
          .join(', '),
        more: Math.max(0, candidates.length - 10),
        actorName: actor?.displayName || actor?.email || 'the system',
      },
      entityType: 'DiscoveryCandidate',
      entityId: sorted[0].id,
      link: '/discovery',
      dedupeKey: `discovery-new:${sorted[0].id}:${candidates.length}`,
    });
  }

  /** The known-SaaS subcategory of each new key, as a subcategory id of the workspace's taxonomy. */
  private async suggestions(manager: EntityManager, items: readonly CandidateEvidence[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const item of items) {
      const product = knownSaas(item.key);
      if (product) names.set(item.key, product.subcategory.toLowerCase());
    }
    if (!names.size) return new Map();
    const subcategories = await this.catalog.subcategoriesByNameKeys(manager, [...new Set(names.values())]);
    const idByName = new Map(subcategories.filter((s) => s.active).map((s) => [s.nameKey, s.id]));
    const out = new Map<string, string>();
    for (const [key, name] of names) if (idByName.has(name)) out.set(key, idByName.get(name)!);
    return out;
  }
}

/** One item per source and key: amounts and counts added, dates widened, user counts from the last. */
function mergeEvidence(evidence: readonly CandidateEvidence[]): Map<string, CandidateEvidence> {
  const out = new Map<string, CandidateEvidence>();
  for (const item of evidence) {
    const id = `${item.source}:${item.key}`;
    const seen = out.get(id);
    if (!seen) {
      out.set(id, { ...item });
      continue;
    }
    seen.totalBaseMinor = (seen.totalBaseMinor ?? 0n) + (item.totalBaseMinor ?? 0n);
    seen.transactions = (seen.transactions ?? 0) + (item.transactions ?? 0);
    seen.firstSeen = minDate(seen.firstSeen, item.firstSeen);
    seen.lastSeen = maxDate(seen.lastSeen, item.lastSeen);
    if (item.assignedUsers !== undefined) seen.assignedUsers = item.assignedUsers;
    if (item.activeUsers !== undefined) seen.activeUsers = item.activeUsers;
    seen.displayName ??= item.displayName;
  }
  return out;
}

function applyEvidence(candidate: DiscoveryCandidate, item: CandidateEvidence): Partial<DiscoveryCandidate> {
  const changes: Partial<DiscoveryCandidate> = {};
  if (item.totalBaseMinor) changes.totalBaseMinor = candidate.totalBaseMinor + item.totalBaseMinor;
  if (item.transactions) changes.transactions = candidate.transactions + item.transactions;
  const firstSeen = minDate(candidate.firstSeen, item.firstSeen);
  const lastSeen = maxDate(candidate.lastSeen, item.lastSeen);
  if (firstSeen !== candidate.firstSeen) changes.firstSeen = firstSeen;
  if (lastSeen !== candidate.lastSeen) changes.lastSeen = lastSeen;
  if (item.assignedUsers !== undefined && item.assignedUsers !== candidate.assignedUsers) changes.assignedUsers = item.assignedUsers;
  if (item.activeUsers !== undefined && item.activeUsers !== candidate.activeUsers) changes.activeUsers = item.activeUsers;
  return changes;
}

const minDate = (left?: string | null, right?: string | null) => (!left ? (right ?? null) : !right ? left : left < right ? left : right);
const maxDate = (left?: string | null, right?: string | null) => (!left ? (right ?? null) : !right ? left : left > right ? left : right);

/** A DATE as the drivers answer it (string, or Date on some), as YYYY-MM-DD. */
export function dateOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === 'string' ? value.slice(0, 10) : null;
}
