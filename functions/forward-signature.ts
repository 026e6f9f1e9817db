import { toHex } from './request-digest.js';

/** Header with the Unix time in seconds at which the edge signed the request. */
export const TIMESTAMP_HEADER = 'x-mesos-launch-timestamp';
/** Header with a random value per request, so two identical requests get different signatures. */
export const NONCE_HEADER = 'x-mesos-launch-nonce';
/** Header with `v1=<hex HMAC-SHA256>`; the loggers redact it. */
export const SIGNATURE_HEADER = 'x-mesos-launch-signature';
/** Largest accepted difference between the signing time and the receiver's clock. */
export const MAX_SIGNATURE_AGE_SECONDS = 300;

/** The parts of a forwarded request that the signature covers. */
export interface SignedParts {
  timestamp: string;
  nonce: string;
  method: string;
  /** Path and query string, e.g. `/internal/v1/launches?limit=5`. */
  target: string;
  /** The body as sent: a string is signed as its UTF-8 bytes. */
  body: string | Uint8Array;
}

export type SignatureCheck =
  { ok: true } | { ok: false; code: 'SIGNATURE_INVALID' | 'SIGNATURE_EXPIRED'; reason: string };

const keyCache = new Map<string, Promise<CryptoKey>>();

/**
 * Signs a forwarded request with HMAC-SHA256 over the timestamp, nonce, method, target and body,
 * each on its own line. A signature therefore cannot be moved to another path or used after the
 * time window, and the receiver remembers signatures to reject a replay inside it. Uses
 * WebCrypto, which Node 20 and edge runtimes both provide.
 */
export async function signForwardedRequest(secret: string, parts: SignedParts): Promise<string> {
  const key = await importKey(secret);
  const signature = await crypto.subtle.sign('HMAC', key, encodeParts(parts));

  return `v1=${toHex(new Uint8Array(signature))}`;
}

/**
 * Checks a forwarded request's signature (in constant time, by WebCrypto's verify) and that its
 * timestamp is within MAX_SIGNATURE_AGE_SECONDS of `nowSeconds`, in either direction.
 */
export async function verifyForwardedRequest(
  secret: string,
  parts: Omit<SignedParts, 'timestamp' | 'nonce'> & {
    timestamp: string | undefined;
    nonce: string | undefined;
  },
  signature: string | undefined,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<SignatureCheck> {
  const timestamp = parts.timestamp ?? '';
  if (!/^\d{1,12}$/.test(timestamp)) {
    return {
      ok: false,
      code: 'SIGNATURE_INVALID',
      reason: `the ${TIMESTAMP_HEADER} header is missing or not Unix seconds`,
    };
  }

  const nonce = parts.nonce ?? '';
  if (!/^[A-Za-z0-9-]{16,64}$/.test(nonce)) {
    return {
      ok: false,
      code: 'SIGNATURE_INVALID',
      reason: `the ${NONCE_HEADER} header is missing or not 16 to 64 letters, digits or "-"`,
    };
  }

  const signatureBytes = parseSignature(signature);
  if (!signatureBytes) {
    return {
      ok: false,
      code: 'SIGNATURE_INVALID',
      reason: `the ${SIGNATURE_HEADER} header is missing or not v1=<64 hex digits>`,
    };
  }

  const ageSeconds = Math.abs(nowSeconds - Number(timestamp));
  if (ageSeconds > MAX_SIGNATURE_AGE_SECONDS) {
    return {
      ok: false,
      code: 'SIGNATURE_EXPIRED',
      reason: `the request was signed ${ageSeconds} s away from this server's clock; at most ${MAX_SIGNATURE_AGE_SECONDS} s is accepted`,
    };
  }

  const key = await importKey(secret);
  const valid = await crypto.subtle.verify(
    'HMAC',
    key,
    signatureBytes,
    encodeParts({ ...parts, timestamp, nonce }),
  );

  return valid
    ? { ok: true }
    : { ok: false, code: 'SIGNATURE_INVALID', reason: 'the signature does not match the request' };
}

function encodeParts(parts: SignedParts): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `${parts.timestamp}\n${parts.nonce}\n${parts.method.toUpperCase()}\n${parts.target}\n`,
  );
  const body = typeof parts.body === 'string' ? encoder.encode(parts.body) : parts.body;

  const bytes = new Uint8Array(head.byteLength + body.byteLength);
  bytes.set(head, 0);
  bytes.set(body, head.byteLength);
  return bytes;
}

function parseSignature(header: string | undefined): Uint8Array<ArrayBuffer> | undefined {
  const match = /^v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match?.[1]) {
    return undefined;
  }

  const hex = match[1];
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index += 1) {
    bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  }

  return bytes;
}

function importKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    keyCache.set(secret, key);
  }

  return key;
}
