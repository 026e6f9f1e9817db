import { createHash } from 'node:crypto';
import { canonicalJson } from '../request-digest.js';

/**
 * Computes the same hex SHA-256 as `digestCanonicalJson`, with node:crypto on the calling thread.
 * On Node, WebCrypto's `subtle.digest` queues a job for the libuv thread pool and settles a
 * promise afterwards, which for an input of a launch request's size costs several times the CPU
 * of hashing it in place.
 */
export function digestCanonicalJsonSync(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
