import { randomFillSync } from 'node:crypto';

/** Random bytes for this many UUIDs are drawn at once, because one call per UUID is slow. */
const UUID_POOL_SIZE = 1024;
let uuidPool = Buffer.alloc(0);
let uuidPoolOffset = 0;

/**
 * Issues ids in the Mesos master's formats (`src/master/master.cpp`): framework ids
 * `<masterId>-0000` (a zero-padded counter), offer ids `<masterId>-O<n>` and agent ids
 * `<masterId>-S<n>`, all counters starting at 0.
 */
export class IdGenerator {
  private nextFramework = 0;
  private nextOffer = 0;
  private nextAgent = 0;

  constructor(readonly masterId: string) {}

  frameworkId(): string {
    return `${this.masterId}-${String(this.nextFramework++).padStart(4, '0')}`;
  }

  offerId(): string {
    return `${this.masterId}-O${this.nextOffer++}`;
  }

  agentId(): string {
    return `${this.masterId}-S${this.nextAgent++}`;
  }

  /** How many agent ids have been issued, i.e. how many agents ever registered. */
  get agentsIssued(): number {
    return this.nextAgent;
  }
}

/** Returns a random (version 4) UUID as its 16 raw bytes, the form TaskStatus.uuid carries. */
export function randomUuidBytes(): Uint8Array {
  if (uuidPoolOffset >= uuidPool.length) {
    uuidPool = randomFillSync(Buffer.allocUnsafe(16 * UUID_POOL_SIZE));
    uuidPoolOffset = 0;
  }

  const bytes = Buffer.from(uuidPool.subarray(uuidPoolOffset, uuidPoolOffset + 16));
  uuidPoolOffset += 16;
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return bytes;
}

/**
 * Tells whether bytes form a UUID as stout's `UUID::fromBytes` accepts it: exactly 16 bytes
 * with a known version (1 to 5) in the high nibble of byte 6.
 */
export function isValidUuidBytes(bytes: Uint8Array | undefined): boolean {
  if (bytes === undefined || bytes.length !== 16) {
    return false;
  }
  const version = (bytes[6]! & 0xf0) >> 4;
  return version >= 1 && version <= 5;
}

export function uuidBytesEqual(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && Buffer.compare(a, b) === 0;
}

/** Formats UUID bytes as the usual 36-character string, for logs. */
export function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
