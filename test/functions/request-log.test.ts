import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createRequestLogger, redactHeaders } from '../../functions/request-log.js';
import { createTestApp, postLaunch } from './support/test-app.js';

/** Creates a logger without pino's `redact`, so only the request logger's own redaction is tested. */
function captureLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino(
    { level: 'info', base: { component: 'function' } },
    { write: (line: string) => lines.push(line) },
  );

  return { logger, lines };
}

describe('request log', () => {
  it('redacts the token and the signature', async () => {
    const { logger, lines } = captureLogger();
    const { app } = createTestApp({
      requestLogger: createRequestLogger(logger),
      apiTokens: ['token-that-must-not-leak'],
    });

    await postLaunch(
      app,
      { image: 'busybox' },
      {
        authorization: 'Bearer token-that-must-not-leak',
        'x-mesos-launch-signature': 'v1=signature-that-must-not-leak',
        cookie: 'session=cookie-that-must-not-leak',
      },
    );

    const output = lines.join('\n');
    expect(lines).toHaveLength(1);
    expect(output).not.toContain('must-not-leak');
    expect(output).toContain('[redacted]');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      component: 'function',
      req: { method: 'POST', url: '/v1/launches' },
      res: { status: 202 },
    });
  });

  it('logs each bound field once', async () => {
    const { logger, lines } = captureLogger();
    const { app } = createTestApp({ requestLogger: createRequestLogger(logger) });

    await app.request('/healthz');

    expect(lines[0]?.match(/"component"/g)).toHaveLength(1);
  });

  it('replaces secret header values', () => {
    expect(
      redactHeaders({
        Authorization: 'Bearer x',
        'x-mesos-launch-signature': 'v1=y',
        accept: '*/*',
      }),
    ).toEqual({
      Authorization: '[redacted]',
      'x-mesos-launch-signature': '[redacted]',
      accept: '*/*',
    });
  });
});
