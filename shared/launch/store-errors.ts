import { MesosLaunchError } from '../errors.js';

/** No launch has the given id. */
export class LaunchNotFoundError extends MesosLaunchError {
  readonly launchId: string;

  constructor(launchId: string) {
    super('LAUNCH_NOT_FOUND', `no launch has the id "${launchId}"`);
    this.name = 'LaunchNotFoundError';
    this.launchId = launchId;
  }
}

/** The launch has already ended, so it can no longer be killed or cancelled. */
export class LaunchTerminalError extends MesosLaunchError {
  readonly launchId: string;
  readonly state: string;

  constructor(launchId: string, state: string) {
    super(
      'LAUNCH_TERMINAL',
      `launch ${launchId} already ended in state ${state}; there is nothing left to kill`,
    );
    this.name = 'LaunchTerminalError';
    this.launchId = launchId;
    this.state = state;
  }
}

/** An Idempotency-Key was used before with a different request body. */
export class IdempotencyConflictError extends MesosLaunchError {
  readonly launchId: string;

  constructor(launchId: string) {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      `this Idempotency-Key already created launch ${launchId} from a different request body; send the same body to get that launch, or use a new key`,
    );
    this.name = 'IdempotencyConflictError';
    this.launchId = launchId;
  }
}

/** Redis is not connected or did not respond in time, so the same request may succeed later. */
export class StoreUnavailableError extends MesosLaunchError {
  constructor(message: string, cause?: unknown) {
    super('STORE_UNAVAILABLE', message, { temporary: true, cause });
    this.name = 'StoreUnavailableError';
  }
}

/** Another request with the same Idempotency-Key is still creating the launch. */
export class LaunchCreationPendingError extends MesosLaunchError {
  readonly launchId: string;

  constructor(launchId: string) {
    super(
      'LAUNCH_CREATION_PENDING',
      `launch ${launchId} for this Idempotency-Key is still being queued by another request; retry in a moment`,
      { temporary: true },
    );
    this.name = 'LaunchCreationPendingError';
    this.launchId = launchId;
  }
}

/** A list cursor that this service did not issue. */
export class InvalidCursorError extends MesosLaunchError {
  constructor() {
    super(
      'INVALID_CURSOR',
      'the cursor is not valid: pass the next_cursor of a previous list response unchanged',
    );
    this.name = 'InvalidCursorError';
  }
}
