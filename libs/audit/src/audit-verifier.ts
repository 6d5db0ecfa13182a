import type { AuditCheckpoint } from './audit-checkpoint.entity';
import type { AuditEvent } from './audit-event.entity';
import { addToDigest, EMPTY_DIGEST, entityChain, hashEvent, LEGACY_CHECKPOINT, tokenIdOf } from './audit-hash';

export const AUDIT_BREAK_KINDS = [
  'HASH_MISMATCH',
  'UNKNOWN_HASH_VERSION',
  'WRONG_CHAIN',
  'SEQUENCE_GAP',
  'BROKEN_LINK',
  'TRUNCATED',
  'HEAD_MISMATCH',
  'NO_CHECKPOINT',
  'LEGACY_SET_CHANGED',
  'TOO_MANY_BREAKS',
] as const;
export type AuditBreakKind = (typeof AUDIT_BREAK_KINDS)[number];

export interface AuditBreak {
  eventId?: string;
  chain?: string;
  kind: AuditBreakKind;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  breaks: AuditBreak[];
}

/** At most this many breaks are listed; one TOO_MANY_BREAKS entry counts the rest. */
export const MAX_LISTED_BREAKS = 1000;

interface Last {
  chain: string;
  seq: number;
  hash: string;
  id: string;
}

/**
 * Checks an audit trail fed to it in one pass: the events on chains ordered by chain then chainSeq
 * (chained), the version 1 events that are on no chain in any order (unchained), against the chain
 * heads of audit_checkpoints. Holds one event per chain at a time, so trails of any size fit.
 *
 * Every event's hash must match its content under its hashVersion; every chain must run 1, 2, 3…
 * with each prevHash naming the previous event's hash, and end exactly at its checkpoint (a head
 * past the last event means the newest events were deleted; an event past the head was appended
 * without moving it); a checkpoint without events means a whole chain was deleted. The version 1
 * events must still be the set the upgrade anchored (count and digest of their hashes).
 */
export class AuditTrailVerifier {
  private checked = 0;
  private readonly breaks: AuditBreak[] = [];
  private unlisted = 0;
  private last?: Last;
  private readonly heads = new Map<string, AuditCheckpoint>();
  private readonly legacyHead?: AuditCheckpoint;
  private legacy = { count: 0, digest: EMPTY_DIGEST };

  constructor(checkpoints: AuditCheckpoint[]) {
    for (const checkpoint of checkpoints) {
      if (checkpoint.chain === LEGACY_CHECKPOINT) this.legacyHead = checkpoint;
      else this.heads.set(checkpoint.chain, checkpoint);
    }
  }

  /** An event on a chain; call in (chain, chainSeq) order. */
  chained(event: AuditEvent): void {
    this.content(event);
    const chain = event.chain!;
    const expected = event.entityId ? entityChain(event.entityType, event.entityId) : null;
    if (expected ? chain !== expected : !chain.startsWith(`${event.entityType}/~`)) {
      this.report({
        eventId: event.id,
        chain,
        kind: 'WRONG_CHAIN',
        message: `Event ${event.id} (${event.entityType} ${event.entityId ?? '-'}) is on chain ${chain}`,
      });
    }
    const seq = event.chainSeq ?? 0;
    if (this.last?.chain !== chain) {
      this.closeChain();
      if (seq !== 1)
        this.report({
          eventId: event.id,
          chain,
          kind: 'SEQUENCE_GAP',
          message: `Chain ${chain} starts at #${seq}: events #1–#${seq - 1} are missing`,
        });
      else if (event.prevHash !== null)
        this.report({ eventId: event.id, chain, kind: 'BROKEN_LINK', message: `The first event of chain ${chain} names a previous hash` });
    } else if (seq !== this.last.seq + 1) {
      this.report({
        eventId: event.id,
        chain,
        kind: 'SEQUENCE_GAP',
        message: `Chain ${chain} jumps from #${this.last.seq} to #${seq}: events in between are missing`,
      });
    } else if (event.prevHash !== this.last.hash) {
      this.report({
        eventId: event.id,
        chain,
        kind: 'BROKEN_LINK',
        message: `Event #${seq} of chain ${chain} does not name the hash of event #${this.last.seq}`,
      });
    }
    this.last = { chain, seq, hash: event.hash, id: event.id };
  }

  /** A version 1 event on no chain (written before chains covered events without an entity). */
  unchained(event: AuditEvent): void {
    this.content(event);
    if (event.hashVersion !== 1 || event.entityId !== null) {
      this.report({
        eventId: event.id,
        kind: 'WRONG_CHAIN',
        message: `Event ${event.id} is on no chain, which only version 1 events without an entity may be`,
      });
    }
  }

  /** The verdict, once every event has been given. */
  finish(): AuditVerification {
    this.closeChain();
    for (const head of this.heads.values()) {
      this.report({
        chain: head.chain,
        kind: 'TRUNCATED',
        message: `Chain ${head.chain} is anchored at #${head.headSeq} but has no events left`,
      });
    }
    this.heads.clear();
    const legacy = this.legacyHead;
    if (!legacy) {
      this.report({ chain: LEGACY_CHECKPOINT, kind: 'NO_CHECKPOINT', message: 'The checkpoint of the version 1 events is missing' });
    } else if (legacy.headSeq !== this.legacy.count || legacy.headHash !== this.legacy.digest) {
      this.report({
        chain: LEGACY_CHECKPOINT,
        kind: 'LEGACY_SET_CHANGED',
        message:
          `The version 1 events are not the ${legacy.headSeq} ` +
          `anchored at the upgrade (found ${this.legacy.count}${legacy.headSeq === this.legacy.count ? ', with other hashes' : ''})`,
      });
    }
    if (this.unlisted) this.breaks.push({ kind: 'TOO_MANY_BREAKS', message: `${this.unlisted} more break(s) not listed` });
    return { ok: this.breaks.length === 0, checked: this.checked, breaks: this.breaks };
  }

  private content(event: AuditEvent): void {
    this.checked++;
    const expected = hashEvent(event);
    if (expected === null) {
      this.report({
        eventId: event.id,
        chain: event.chain ?? undefined,
        kind: 'UNKNOWN_HASH_VERSION',
        message: `Event ${event.id} claims hash version ${event.hashVersion}`,
      });
    } else if (expected !== event.hash) {
      this.report({
        eventId: event.id,
        chain: event.chain ?? undefined,
        kind: 'HASH_MISMATCH',
        message: `Event ${event.id} does not match its hash: a stored field was changed`,
      });
    }
    if ((event.tokenId ?? null) !== tokenIdOf(event.metadata)) {
      this.report({
        eventId: event.id,
        chain: event.chain ?? undefined,
        kind: 'HASH_MISMATCH',
        message: `Event ${event.id} names another API token than its hashed metadata: its tokenId was changed`,
      });
    }
    if (event.hashVersion === 1) this.legacy = { count: this.legacy.count + 1, digest: addToDigest(this.legacy.digest, event.hash) };
  }

  private closeChain(): void {
    const last = this.last;
    if (!last) return;
    this.last = undefined;
    const head = this.heads.get(last.chain);
    this.heads.delete(last.chain);
    const at = { chain: last.chain, eventId: last.id };
    if (!head) this.report({ ...at, kind: 'NO_CHECKPOINT', message: `Chain ${last.chain} has no checkpoint` });
    else if (head.headSeq > last.seq)
      this.report({
        ...at,
        kind: 'TRUNCATED',
        message: `Chain ${last.chain} is anchored at #${head.headSeq} but ends at #${last.seq}: its newest events were deleted`,
      });
    else if (head.headSeq < last.seq)
      this.report({
        ...at,
        kind: 'HEAD_MISMATCH',
        message: `Chain ${last.chain} runs to #${last.seq} past its checkpoint at #${head.headSeq}`,
      });
    else if (head.headHash !== last.hash || head.headEventId !== last.id)
      this.report({ ...at, kind: 'HEAD_MISMATCH', message: `The newest event of chain ${last.chain} is not the one its checkpoint names` });
  }

  private report(found: AuditBreak): void {
    if (this.breaks.length < MAX_LISTED_BREAKS) this.breaks.push(found);
    else this.unlisted++;
  }
}
