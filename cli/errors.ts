import { MesosLaunchError } from '../shared/errors.js';

/** Exit codes of the `mesos-launch` command line. */
export const EXIT_CODES = {
  /** The task reached TASK_RUNNING or TASK_FINISHED. */
  success: 0,
  /** The launch ended in any other terminal state, or the master or service rejected it. */
  launchFailed: 1,
  /** A flag is unknown, missing or invalid. */
  usage: 2,
  /** No fitting offer, or no TASK_RUNNING, within `-timeout`. */
  timeout: 3,
  /** The master or the service could not be reached, or broke the protocol. */
  unreachable: 4,
  /** Interrupted by SIGINT (128 + 2, the shell convention). */
  interrupted: 130,
  /** Interrupted by SIGTERM (128 + 15). */
  terminated: 143,
} as const;

/** An error that ends the command line with a given exit code and a one-line message. */
export class CliError extends MesosLaunchError {
  readonly exitCode: number;

  constructor(code: string, message: string, exitCode: number, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** A flag that is unknown, missing or has an invalid value. */
export class UsageError extends CliError {
  constructor(message: string) {
    super('CLI_USAGE', message, EXIT_CODES.usage);
    this.name = 'UsageError';
  }
}

/** The launch ended in a state other than TASK_RUNNING or TASK_FINISHED, or was rejected. */
export class LaunchFailedError extends CliError {
  constructor(message: string) {
    super('CLI_LAUNCH_FAILED', message, EXIT_CODES.launchFailed);
    this.name = 'LaunchFailedError';
  }
}

/** `-timeout` passed before the task reached TASK_RUNNING. */
export class LaunchTimeoutError extends CliError {
  constructor(message: string) {
    super('CLI_TIMEOUT', message, EXIT_CODES.timeout);
    this.name = 'LaunchTimeoutError';
  }
}

/** The master or the service could not be reached, or its response broke the protocol. */
export class UnreachableError extends CliError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CLI_UNREACHABLE', message, EXIT_CODES.unreachable, options);
    this.name = 'UnreachableError';
  }
}

/** The user pressed Ctrl-C, or the process received SIGTERM. */
export class InterruptedError extends CliError {
  constructor(signal: 'SIGINT' | 'SIGTERM') {
    const exitCode = signal === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.terminated;
    super('CLI_INTERRUPTED', `interrupted by ${signal}`, exitCode);
    this.name = 'InterruptedError';
  }
}
