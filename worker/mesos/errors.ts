import { MesosLaunchError } from '../../shared/errors.js';

/**
 * Stable codes of scheduler client failures. Temporary ones are retried by the client's
 * subscribe loop (or may be retried by the caller of a call); permanent ones are not.
 */
export const SchedulerErrorCode = {
  /** 503, or 404 before the master's routes exist: no leading master right now (temporary). */
  unavailable: 'MESOS_UNAVAILABLE',
  /** TCP connect or socket failure (temporary). */
  connectionFailed: 'MESOS_CONNECTION_FAILED',
  /** No response within the request timeout (temporary). */
  requestTimeout: 'MESOS_REQUEST_TIMEOUT',
  /** 307 without a usable `Location`, or too many redirects in a row (temporary). */
  redirectFailed: 'MESOS_REDIRECT_FAILED',
  /** 400, 405, 406, 415 or 501: the master rejected the request itself (permanent). */
  callRejected: 'MESOS_CALL_REJECTED',
  /** 401: the credentials were refused (permanent). */
  unauthorized: 'MESOS_UNAUTHORIZED',
  /** 403: the framework is not connected on this master; resubscribe first (temporary). */
  subscriptionGone: 'MESOS_SUBSCRIPTION_GONE',
  /** Any other unexpected status; temporary for 5xx, permanent otherwise. */
  unexpectedStatus: 'MESOS_UNEXPECTED_STATUS',
  /** A call made while no subscription is active (temporary). */
  notSubscribed: 'MESOS_NOT_SUBSCRIBED',
  /** The client was stopped (permanent). */
  clientStopped: 'MESOS_CLIENT_STOPPED',
  /** The master closed the event stream (temporary). */
  streamEnded: 'MESOS_STREAM_ENDED',
  /** No record arrived for several heartbeat intervals (temporary). */
  heartbeatTimeout: 'MESOS_HEARTBEAT_TIMEOUT',
  /** A malformed RecordIO header or an undecodable event on the stream (temporary). */
  streamMalformed: 'MESOS_STREAM_MALFORMED',
  /** The master sent an ERROR event and closed the subscription (temporary). */
  errorEvent: 'MESOS_ERROR_EVENT',
  /** ERROR "Framework has been removed": this framework id can never subscribe again (permanent). */
  frameworkRemoved: 'MESOS_FRAMEWORK_REMOVED',
} as const;

export type SchedulerErrorCode = (typeof SchedulerErrorCode)[keyof typeof SchedulerErrorCode];

interface SchedulerErrorOptions {
  temporary: boolean;
  cause?: unknown;
  /** The HTTP status of the master's response, when there was one. */
  status?: number;
  /** The URL the failed request went to. */
  url?: string;
}

/** A failure of the scheduler client: a call, the subscription or the event stream. */
export class SchedulerClientError extends MesosLaunchError {
  declare readonly code: SchedulerErrorCode;
  readonly status: number | undefined;
  readonly url: string | undefined;

  constructor(code: SchedulerErrorCode, message: string, options: SchedulerErrorOptions) {
    super(code, message, { temporary: options.temporary, cause: options.cause });
    this.name = 'SchedulerClientError';
    this.status = options.status;
    this.url = options.url;
  }
}

/** Maps a non-success HTTP status from the master to a typed error. */
export function errorForStatus(status: number, body: string, url: string): SchedulerClientError {
  const detail = body.trim() === '' ? '' : `: ${body.trim().slice(0, 500)}`;
  const message = `Mesos master ${url} responded with ${status}${detail}`;
  const options = { status, url };

  if (status === 503 || status === 404) {
    return new SchedulerClientError(SchedulerErrorCode.unavailable, message, {
      ...options,
      temporary: true,
    });
  }
  if (status === 401) {
    return new SchedulerClientError(SchedulerErrorCode.unauthorized, message, {
      ...options,
      temporary: false,
    });
  }
  if (status === 403) {
    return new SchedulerClientError(SchedulerErrorCode.subscriptionGone, message, {
      ...options,
      temporary: true,
    });
  }
  if ([400, 405, 406, 415, 501].includes(status)) {
    return new SchedulerClientError(SchedulerErrorCode.callRejected, message, {
      ...options,
      temporary: false,
    });
  }
  return new SchedulerClientError(SchedulerErrorCode.unexpectedStatus, message, {
    ...options,
    temporary: status >= 500,
  });
}

const TIMEOUT_ERROR_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Wraps a transport failure (refused connection, reset socket, timeout) in a typed error. */
export function errorForTransport(error: unknown, url: string): SchedulerClientError {
  if (error instanceof SchedulerClientError) {
    return error;
  }

  const code = (error as { code?: unknown }).code;
  const reason = error instanceof Error ? error.message : String(error);
  if ((typeof code === 'string' && TIMEOUT_ERROR_CODES.has(code)) || isTimeoutAbort(error)) {
    return new SchedulerClientError(
      SchedulerErrorCode.requestTimeout,
      `Request to ${url} timed out: ${reason}`,
      {
        temporary: true,
        cause: error,
        url,
      },
    );
  }

  return new SchedulerClientError(
    SchedulerErrorCode.connectionFailed,
    `Connection to ${url} failed: ${reason}`,
    {
      temporary: true,
      cause: error,
      url,
    },
  );
}

function isTimeoutAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}
