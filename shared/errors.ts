/**
 * The base of every error this project throws on purpose. Callers branch on `code`, which is
 * stable. `temporary` is true when the same operation may succeed if retried later.
 */
export class MesosLaunchError extends Error {
  readonly code: string;
  readonly temporary: boolean;

  constructor(
    code: string,
    message: string,
    options: { temporary?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'MesosLaunchError';
    this.code = code;
    this.temporary = options.temporary ?? false;
  }
}

/** A configuration value that is missing or invalid; raised at start-up. */
export class ConfigError extends MesosLaunchError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
    this.name = 'ConfigError';
  }
}
