import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

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

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

let stdoutDestination: DestinationStream | undefined;

/**
 * The stdout stream every logger of the process shares. Lines are written asynchronously, so
 * logging never blocks on the pipe or file behind stdout. Whatever is still buffered is written
 * synchronously when the process exits, through `process.exit()` included, because pino 10
 * registers that flush for a `sync: false` destination. A process killed with SIGKILL loses
 * those lines.
 */
function sharedStdout(): DestinationStream {
  stdoutDestination ??= pino.destination({ dest: 1, sync: false });
  return stdoutDestination;
}

/**
 * Creates the JSON logger for one component. The level comes from `LOG_LEVEL` (default `info`);
 * tests pass `level: 'silent'`. An unknown `LOG_LEVEL` gives `info` here, so that the
 * configuration check can report it as the bad variable it is.
 */
export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  const level = process.env.LOG_LEVEL;

  return pino(
    {
      level: level !== undefined && LEVELS.includes(level) ? level : 'info',
      base: { component },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      ...options,
    },
    sharedStdout(),
  );
}
