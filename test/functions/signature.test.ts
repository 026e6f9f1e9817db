import { describe, expect, it } from 'vitest';
import { signForwardedRequest, verifyForwardedRequest } from '../../functions/forward-signature.js';

const SECRET = 'forward-secret-0123456789';
const NOW = 1_800_000_000;
const PARTS = {
  timestamp: String(NOW),
  nonce: '3f0e6c1c-7a55-4c2b-9b9a-0d5e1f2a3b4c',
  method: 'POST',
  target: '/internal/v1/launches',
  body: '{"a":1}',
};

describe('forward signature', () => {
  it('verifies its own signature', async () => {
    const signature = await signForwardedRequest(SECRET, PARTS);

    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(await verifyForwardedRequest(SECRET, PARTS, signature, NOW)).toEqual({ ok: true });
  });

  it.each([
    ['body', { body: '{"a":2}' }],
    ['method', { method: 'DELETE' }],
    ['target', { target: '/internal/v1/launches?limit=1' }],
    ['timestamp', { timestamp: String(NOW - 1) }],
    ['nonce', { nonce: '00000000-7a55-4c2b-9b9a-0d5e1f2a3b4c' }],
  ])('rejects a changed %s', async (_part, change) => {
    const signature = await signForwardedRequest(SECRET, PARTS);

    const check = await verifyForwardedRequest(SECRET, { ...PARTS, ...change }, signature, NOW);

    expect(check).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('rejects another secret', async () => {
    const signature = await signForwardedRequest('another-secret-0123456789', PARTS);

    expect(await verifyForwardedRequest(SECRET, PARTS, signature, NOW)).toMatchObject({
      ok: false,
    });
  });

  it.each([NOW - 301, NOW + 301])('rejects timestamp %i as expired', async (timestamp) => {
    const parts = { ...PARTS, timestamp: String(timestamp) };
    const signature = await signForwardedRequest(SECRET, parts);

    const check = await verifyForwardedRequest(SECRET, parts, signature, NOW);

    expect(check).toMatchObject({ ok: false, code: 'SIGNATURE_EXPIRED' });
  });

  it('accepts a timestamp 300 s old', async () => {
    const parts = { ...PARTS, timestamp: String(NOW - 300) };
    const signature = await signForwardedRequest(SECRET, parts);

    expect(await verifyForwardedRequest(SECRET, parts, signature, NOW)).toEqual({ ok: true });
  });

  it.each([undefined, '', 'v1=zz', `v2=${'0'.repeat(64)}`, `v1=${'0'.repeat(63)}`])(
    'rejects signature header %s',
    async (header) => {
      expect(await verifyForwardedRequest(SECRET, PARTS, header, NOW)).toMatchObject({
        ok: false,
        code: 'SIGNATURE_INVALID',
      });
    },
  );

  it.each([undefined, '', 'short', 'has space in it 123'])(
    'rejects nonce header %s',
    async (nonce) => {
      const signature = await signForwardedRequest(SECRET, PARTS);

      expect(
        await verifyForwardedRequest(SECRET, { ...PARTS, nonce }, signature, NOW),
      ).toMatchObject({
        ok: false,
        code: 'SIGNATURE_INVALID',
      });
    },
  );

  it.each([undefined, '', 'soon', '1.5'])('rejects timestamp header %s', async (timestamp) => {
    const signature = await signForwardedRequest(SECRET, PARTS);

    expect(
      await verifyForwardedRequest(SECRET, { ...PARTS, timestamp }, signature, NOW),
    ).toMatchObject({
      ok: false,
      code: 'SIGNATURE_INVALID',
    });
  });
});
