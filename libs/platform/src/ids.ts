import { randomBytes } from 'node:crypto';

// Random bytes are drawn 4 KiB at a time (one call into the CSPRNG per 256 ids, not one per id).
let pool = Buffer.alloc(0);
let offset = 0;

/** A time-ordered UUID (RFC 9562 version 7): sortable by creation, unique without a sequence. */
export function uuidv7(now: number = Date.now()): string {
  if (offset + 16 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const bytes = Buffer.allocUnsafe(16);
  pool.copy(bytes, 0, offset, offset + 16);
  offset += 16;
  // 48-bit milliseconds, big-endian (exact in a double: now < 2^53).
  const high = Math.floor(now / 0x1000000);
  const low = now % 0x1000000;
  bytes[0] = (high >>> 16) & 0xff;
  bytes[1] = (high >>> 8) & 0xff;
  bytes[2] = high & 0xff;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
