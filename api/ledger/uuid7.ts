import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let counter = 0;
const random = Buffer.alloc(8);

/**
 * A UUIDv7 (RFC 9562) from this process, monotonic within it: the 12-bit `rand_a` field counts
 * ids minted in the same millisecond (method 1 of §6.2), so ids sort in the order they were made,
 * like `ledger_uuid7()` in the database. Bulk paths mint transfer ids here to spare the database
 * a function call per row.
 */
export function uuid7(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs += 1;
    counter = 0;
  }
  randomFillSync(random);
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (random[0]! & 0x3f);
  random.copy(bytes, 9, 1, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
