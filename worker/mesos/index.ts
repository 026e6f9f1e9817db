export { Backoff } from './backoff.js';
export { CallSender, MAX_REDIRECTS } from './call-sender.js';
export type { CallSenderOptions } from './call-sender.js';
export {
  SchedulerClientError,
  SchedulerErrorCode,
  errorForStatus,
  errorForTransport,
} from './errors.js';
export { HeartbeatWatchdog } from './heartbeat-watchdog.js';
export type {
  SchedulerClientEventName,
  SchedulerClientListeners,
  SubscribedInfo,
} from './listeners.js';
export { MasterSelector, SCHEDULER_PATH, resolveRedirect, toSchedulerUrl } from './masters.js';
export type { Credentials } from './request-headers.js';
export { SchedulerClient } from './scheduler-client.js';
export type { SchedulerClientOptions } from './scheduler-client.js';
