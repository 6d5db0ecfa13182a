import { createHash, randomInt } from 'node:crypto';
import type { AuditEvent } from './audit-event.entity';

/**
 * How an audit event's hash is computed, by version (stored per row in `hashVersion`).
 *
 * - 1: the first formula (until migration 1767000600000). It left out actorEmail, createdAt and
 *   updatedAt. Rows written under it keep their hash and are verified with it: rehashing them would
 *   sign whatever they hold today, tampering included.
 * - 2: every stored column but the hash itself, in a fixed order, with JSON objects' keys sorted
 *   (so the text the database hands back hashes alike whatever order it keeps keys in). `tokenId`
 *   (added later) is a copy of metadata.apiToken.id, which is hashed; the verifier checks the copy.
 */
export const CURRENT_HASH_VERSION = 2;

/** The audit_checkpoints row that anchors the events hashed with version 1 (count, newest id, digest). */
export const LEGACY_CHECKPOINT = '~legacy-v1';

/** Chains for events without an entity, per entity type: one is picked at random per event. */
export const UNBOUND_SHARDS = 16;

/** The chain of an event about an entity: every event of one entity, in order. */
export const entityChain = (entityType: string, entityId: string): string => `${entityType}/${entityId}`;

/**
 * The chain an event joins. Events without an entity (refusals, failed logins for unknown e-mails)
 * are spread over UNBOUND_SHARDS chains per entity type, so that they are chained and anchored too
 * without all of them queueing on one chain head.
 */
export function chainFor(entityType: string, entityId: string | null, shard = randomInt(UNBOUND_SHARDS)): string {
  return entityId ? entityChain(entityType, entityId) : `${entityType}/~${shard}`;
}

/** JSON with every object's keys sorted, recursively: one text per value whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

/**
 * The id of the API token an event's metadata names (`apiToken.id`), or null: what the event's
 * `tokenId` column must hold (a copy kept for filtering; the metadata is what the hash covers).
 */
export function tokenIdOf(metadata: Record<string, unknown> | null): string | null {
  const id = (metadata?.apiToken as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : null;
}

/** Version 1, unchanged: kept to verify the rows written before version 2. */
export function hashEventV1(event: AuditEvent): string {
  return sha256(
    JSON.stringify([
      event.id,
      iso(event.occurredAt),
      event.actorId,
      event.action,
      event.entityType,
      event.entityId,
      event.requestId,
      event.ip,
      event.changes,
      event.metadata,
      event.chainSeq,
      event.prevHash,
    ]),
  );
}

/** Version 2: every column of audit_events except `hash`, the version tag first. */
export function hashEventV2(event: AuditEvent): string {
  return sha256(
    canonicalJson([
      'stackgate.audit.v2',
      event.id,
      iso(event.occurredAt),
      event.actorId,
      event.actorEmail,
      event.action,
      event.entityType,
      event.entityId,
      event.requestId,
      event.ip,
      event.changes,
      event.metadata,
      event.chain,
      event.chainSeq,
      event.prevHash,
      iso(event.createdAt),
      iso(event.updatedAt),
    ]),
  );
}

/** The hash an event must carry under its own hashVersion; null for a version this code does not know. */
export function hashEvent(event: AuditEvent): string | null {
  switch (event.hashVersion ?? 1) {
    case 1:
      return hashEventV1(event);
    case 2:
      return hashEventV2(event);
    default:
      return null;
  }
}

/**
 * An order-independent digest of a set of hashes (their sum modulo 2^256): anchors the version 1
 * events, which are not all on chains, so that deleting or swapping one of them is noticed.
 */
export function setDigest(hashes: Iterable<string>): string {
  let digest = EMPTY_DIGEST;
  for (const hash of hashes) digest = addToDigest(digest, hash);
  return digest;
}

export const EMPTY_DIGEST = '0'.repeat(64);

/** Adds one hash to a running setDigest (a stored value that is not a hash counts by its own SHA-256). */
export function addToDigest(digest: string, hash: string): string {
  const value = BigInt(`0x${/^[0-9a-f]{64}$/.test(hash) ? hash : sha256(hash)}`);
  return ((BigInt(`0x${digest}`) + value) % (1n << 256n)).toString(16).padStart(64, '0');
}
