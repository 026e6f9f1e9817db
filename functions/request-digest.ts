/**
 * Computes the hex SHA-256 of a value's canonical JSON: object keys sorted at every level, no
 * whitespace. Two requests that differ only in key order or formatting get the same digest,
 * which is what an Idempotency-Key compares.
 */
export async function digestCanonicalJson(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(value));
  const digest = await crypto.subtle.digest('SHA-256', bytes);

  return toHex(new Uint8Array(digest));
}

/** Serialises a JSON value with object keys in sorted order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }

  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => compareKeys(a, b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }

  return JSON.stringify(value) ?? 'null';
}

/** Orders keys by UTF-16 code units, like the default sort, independent of the locale. */
function compareKeys(a: string, b: string): number {
  if (a === b) {
    return 0;
  }

  return a < b ? -1 : 1;
}

/** Writes bytes as lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
