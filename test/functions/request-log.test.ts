import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createRequestLogger, redactHeaders } from '../../functions/request-log.js';
import { createTestApp, postLaunch } from './support/test-app.js';

const SECRET_HEADERS = {
  authorization: 'Bearer token-that-must-not-leak',
  'proxy-authorization': 'Basic proxy-that-must-not-leak',
  'x-mesos-launch-signature': 'v1=signature-that-must-not-leak',
  cookie: 'session=cookie-that-must-not-leak',
};

/** Creates a logger without pino's `redact`, so only the request logger's own redaction is tested. */
function captureLogger(level = 'info'): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino(
    { level, base: { component: 'function' } },
    { write: (line: string) => lines.push(line) },
  );

  return { logger, lines };
}

function parseLine(line: string | undefined): Record<string, unknown> {
  return JSON.parse(line ?? '{}') as Record<string, unknown>;
}

describe('request log', () => {
  it('writes one info line per request', async () => {
    const { logger, lines } = captureLogger();
    const { app } = createTestApp({ requestLogger: createRequestLogger(logger) });

    const response = await postLaunch(app, { image: 'busybox' });

    expect(response.status).toBe(202);
    expect(lines).toHaveLength(1);
    const line = parseLine(lines[0]);
    expect(line).toMatchObject({
      level: 30,
      component: 'function',
      method: 'POST',
      path: '/v1/launches',
      status: 202,
      msg: 'request completed',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(line).not.toHaveProperty('requestId');
    expect(line).not.toHaveProperty('error');
  });

  it('leaves headers out at info', async () => {
    const { logger, lines } = captureLogger();
    const { app } = createTestApp({
      requestLogger: createRequestLogger(logger),
      apiTokens: ['token-that-must-not-leak'],
    });

    const response = await postLaunch(app, { image: 'busybox' }, SECRET_HEADERS);

    expect(response.status).toBe(202);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('must-not-leak');
    expect(parseLine(lines[0])).not.toHaveProperty('headers');
  });

  it('redacts secret headers at debug', async () => {
    const { logger, lines } = captureLogger('debug');
    const { app } = createTestApp({
      requestLogger: createRequestLogger(logger),
      apiTokens: ['token-that-must-not-leak'],
    });

    await postLaunch(app, { image: 'busybox' }, { ...SECRET_HEADERS, accept: 'application/json' });

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('must-not-leak');
    const headers = parseLine(lines[0]).headers as Record<string, string>;
    expect(headers.authorization).toBe('[redacted]');
    expect(headers['proxy-authorization']).toBe('[redacted]');
    expect(headers['x-mesos-launch-signature']).toBe('[redacted]');
    expect(headers.cookie).toBe('[redacted]');
    expect(headers.accept).toBe('application/json');
  });

  it('logs a 4xx at warn with the error', async () => {
    const { logger, lines } = captureLogger();
    const { app } = createTestApp({ requestLogger: createRequestLogger(logger) });

    const response = await postLaunch(app, '{ not json');

    expect(response.status).toBe(400);
    const line = parseLine(lines[0]);
    expect(line.level).toBe(40);
    expect(line.status).toBe(400);
    expect(line.error).toMatch(/^the request body is not valid JSON/);
  });

  it('logs a 5xx at error', async () => {
    const { logger, lines } = captureLogger();
    const { app, backend } = createTestApp({ requestLogger: createRequestLogger(logger) });
    backend.failWith = new Error('backend exploded');

    const response = await postLaunch(app, { image: 'busybox' });

    expect(response.status).toBe(500);
    const line = parseLine(lines[0]);
    expect(line.level).toBe(50);
    expect(line.status).toBe(500);
    expect(line.error).toBe('backend exploded');
  });

  it('logs an unmatched path', async () => {
    const { logger, lines } = captureLogger();
    const { app } = createTestApp({ requestLogger: createRequestLogger(logger) });

    await app.request('/no/such/path?cursor=abc');

    expect(parseLine(lines[0])).toMatchObject({ level: 40, path: '/no/such/path', status: 404 });
  });

  it('copies the X-Request-ID header', async () => {
    const { logger, lines } = captureLogger();
    const { app } = createTestApp({ requestLogger: createRequestLogger(logger) });

    await app.request('/healthz', { headers: { 'x-request-id': 'req-42' } });
    await app.request('/healthz', { headers: { 'x-request-id': 'r'.repeat(300) } });

    expect(parseLine(lines[0]).requestId).toBe('req-42');
    expect(parseLine(lines[1]).requestId).toBe('r'.repeat(128));
  });

  it('writes nothing below the level', async () => {
    const { logger, lines } = captureLogger('warn');
    const { app } = createTestApp({ requestLogger: createRequestLogger(logger) });

    await postLaunch(app, { image: 'busybox' });
    await postLaunch(app, { image: '' });

    expect(lines).toHaveLength(1);
    expect(parseLine(lines[0]).status).toBe(400);
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
