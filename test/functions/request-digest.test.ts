import { describe, expect, it } from 'vitest';
import { canonicalJson, digestCanonicalJson } from '../../functions/request-digest.js';
import { digestCanonicalJsonSync } from '../../functions/node/request-digest-sync.js';

/** Values whose canonical JSON exercises key order, nesting, escapes and non-ASCII text. */
const VALUES: unknown[] = [
  {},
  [],
  { image: 'busybox:1.36', cpus: 0.01, mem: 32, ports: [{ container_port: 8080 }] },
  { b: 1, a: { d: [3, 2, { z: null, y: true }], c: 'x' } },
  { command: 'echo "quoted" \\ back\nslash', labels: { é: 'naïve ☃', '😀': 'emoji' } },
  { skipped: undefined, kept: false },
];

describe('request digest', () => {
  it('hashes the canonical JSON', async () => {
    // SHA-256 of the two bytes "{}".
    const emptyObject = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

    expect(await digestCanonicalJson({})).toBe(emptyObject);
    expect(digestCanonicalJsonSync({})).toBe(emptyObject);
  });

  it.each(VALUES.map((value) => ({ value, json: canonicalJson(value) })))(
    'node:crypto matches WebCrypto for $json',
    async ({ value }) => {
      expect(digestCanonicalJsonSync(value)).toBe(await digestCanonicalJson(value));
    },
  );

  it('ignores key order', () => {
    expect(digestCanonicalJsonSync({ a: 1, b: [1, 2] })).toBe(
      digestCanonicalJsonSync({ b: [1, 2], a: 1 }),
    );
    expect(digestCanonicalJsonSync({ a: 1 })).not.toBe(digestCanonicalJsonSync({ a: 2 }));
  });
});
