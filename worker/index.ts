export { startWorker, type StartWorkerOptions, type WorkerHandle } from './worker.js';
export { DEFAULT_TUNING, type WorkerTuning } from './tuning.js';
export { type WorkerHealth, type HealthServer, startHealthServer } from './health-server.js';
export { WorkerLease, type WorkerLeaseOptions } from './lease.js';
export { buildFrameworkInfo, FrameworkIdStore } from './framework.js';
export {
  StatusRecorder,
  NEVER_STARTED_STATES,
  dedupeKey,
  ipAddressesJson,
  type RecordedStatus,
  type RecordOutcome,
} from './status-recorder.js';
export { PendingLaunches, type LaunchOutcome, type TrackedLaunch } from './pending-launches.js';
export { LaunchIntake, validateJobData, type LaunchJobResult } from './launch-intake.js';
export { FrameworkUnusableError } from './leader-session.js';
export { type SchedulerCalls, type ReconcileTask } from './scheduler-calls.js';
export { OfferCycle, type OfferCycleOptions, type RejectedWrite } from './offer-cycle.js';
export { PortLedger } from './port-ledger.js';
