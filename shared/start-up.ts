import { ConfigError } from './errors.js';

/** Hints for system errors a start-up commonly fails on, keyed by their `code`. */
const SYSTEM_ERROR_HINTS: Record<string, string> = {
  EADDRINUSE: 'another process listens on that port: stop it, or set PORT or WORKER_PORT',
  EADDRNOTAVAIL: 'HOST is not an address of this machine: use 127.0.0.1 or 0.0.0.0',
  ENOTFOUND: 'HOST does not resolve: use an address of this machine such as 127.0.0.1',
  EACCES: 'the port needs privileges: use a port above 1023 in PORT or WORKER_PORT',
};

/**
 * Ends a process that could not start: writes `mesos-launch <component>: <reason>` as one line on
 * stderr and exits with 2 after a configuration error, 1 after any other.
 */
export function exitOnStartUpFailure(component: string, error: unknown): never {
  process.stderr.write(`mesos-launch ${component}: ${describeStartUpFailure(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
}

/** Describes a failed start-up in one line, with a hint for common system errors. */
export function describeStartUpFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const oneLine = message.replace(/:\s*\n\s*/, ': ').replace(/\s*\n\s*/g, '; ');
  const code = (error as { code?: unknown } | undefined)?.code;
  const hint = typeof code === 'string' ? SYSTEM_ERROR_HINTS[code] : undefined;

  return hint ? `${oneLine} (${hint})` : oneLine;
}
