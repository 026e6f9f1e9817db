import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Paths that may carry secrets; pino replaces their values before a line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-mesos-launch-signature"]',
  'headers.authorization',
  'authorization',
  'secret',
  'password',
];

/**
 * Creates the JSON logger for one component. The level comes from `LOG_LEVEL` (default `info`);
 * tests pass `level: 'silent'`.
 */
export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  return pino({
    level: process.env.LOG_LEVEL ?? 'info',
    base: { component },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...options,
  });
}
