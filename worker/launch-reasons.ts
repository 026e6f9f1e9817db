/**
 * Reasons the worker writes on launch records for states it decides itself. Mesos task states
 * keep the `REASON_*` name Mesos sent.
 */

/** A task ended before it ever ran and the launch went back to QUEUED for another attempt. */
export const RETRY_REASON = 'RETRYING';

/** No offer fitted the launch within its `timeout_seconds`. */
export const EXPIRED_REASON = 'TIMEOUT';

/** The message of a launch cancelled while QUEUED; CANCELLED carries no reason. */
export const CANCELLED_MESSAGE = 'cancelled by a kill request before it was launched';
