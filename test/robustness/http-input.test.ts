import { describe, expect, it } from 'vitest';
import { createTestApp, postLaunch } from '../functions/support/test-app.js';

interface Problem {
  status: number;
  code: string;
  invalid_fields?: Array<{ field: string; message: string; fix: string }>;
}

describe('launch request text that would not reach Mesos intact', () => {
  it.each([
    ['command', { command: 'sleep 1\u0000; rm -rf /data' }],
    ['args[1]', { args: ['ok', 'cut\u0000here'] }],
    ['env.A', { env: { A: 'x\u0000y' } }],
    ['labels.team', { labels: { team: '\udfff' } }],
    ['name', { name: 'half \ud83d pair' }],
  ])('rejects %s with 400 naming the field', async (field, fields) => {
    const { app, backend } = createTestApp();

    const response = await postLaunch(app, { image: 'busybox', ...fields });
    const problem = (await response.json()) as Problem;

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problem.invalid_fields).toEqual([
      expect.objectContaining({ field, message: expect.stringMatching(/NUL|surrogate/) }),
    ]);
    expect(backend.launches.size).toBe(0);
  });

  it('accepts characters outside the BMP', async () => {
    const { app } = createTestApp();

    const response = await postLaunch(app, { image: 'busybox', name: 'ok 😀', command: 'echo é' });

    expect(response.status).toBe(202);
  });
});
