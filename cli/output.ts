import { writeSync } from 'node:fs';
import { pino, type DestinationStream, type Logger } from 'pino';
import { REDACTED_PATHS } from '../shared/logger.js';
import type { TaskStatus } from '../shared/mesos/types.js';

export type { Logger };

/**
 * Creates the stdout logger. Its lines have the shape the Go example scheduler printed, e.g.
 * `{"level":"info","time":"2016-08-26T10:06:59.000Z","msg":"received task status",...}`: a
 * level name, an ISO 8601 time and no pid or hostname. Writes are synchronous, so no line is lost
 * when the process exits right after logging.
 */
export function createOutputLogger(destination?: DestinationStream): Logger {
  return pino(
    {
      base: undefined,
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * Creates the stderr logger for diagnostics such as reconnects, so stdout carries only the
 * launch's own lines. Each record becomes one readable line, `mesos-launch: warn: <msg>: <error>`.
 * The level comes from `LOG_LEVEL` (default `warn`).
 */
export function createDiagnosticLogger(destination?: DestinationStream): Logger {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? 'warn',
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination ?? { write: (line: string) => writeSync(2, formatDiagnosticLine(line)) },
  );
}

/** Turns one pino JSON record into `mesos-launch: <level>: <msg>[: <err.message>]\n`. */
export function formatDiagnosticLine(record: string): string {
  const parsed = JSON.parse(record) as { level?: string; msg?: string; err?: { message?: string } };
  const error = parsed.err?.message ? `: ${parsed.err.message}` : '';
  return `mesos-launch: ${parsed.level ?? 'log'}: ${parsed.msg ?? ''}${error}\n`;
}

/** The fields of one "received task status" line. */
export interface TaskStatusFields {
  taskID: string;
  status: string;
  source: string;
  reason: string;
  containerStatus: TaskStatus['container_status'] | null;
  message?: string;
}

/**
 * Picks the fields of a "received task status" line from a TaskStatus. As in the Go example
 * scheduler, an absent `source` or `reason` is `""` and an absent `containerStatus` is null.
 * `message` is added only when the status has one.
 */
export function taskStatusFields(status: TaskStatus): TaskStatusFields {
  const fields: TaskStatusFields = {
    taskID: status.task_id.value,
    status: String(status.state),
    source: status.source === undefined ? '' : String(status.source),
    reason: status.reason === undefined ? '' : String(status.reason),
    containerStatus: status.container_status ?? null,
  };

  if (status.message !== undefined && status.message !== '') {
    fields.message = status.message;
  }

  return fields;
}

/** Logs one task status update on the stdout logger. */
export function logTaskStatus(output: Logger, status: TaskStatus): void {
  output.info(taskStatusFields(status), 'received task status');
}
