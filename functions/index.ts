export {
  createApp,
  DEFAULT_BODY_LIMIT_BYTES,
  type AppDependencies,
  type AppLogger,
  type RequestObservation,
} from './app.js';
export type {
  KillLaunchOutcome,
  LaunchBackend,
  LaunchListPage,
  ListLaunchesInput,
  MetricsText,
  SubmitLaunchInput,
  SubmitLaunchResult,
} from './backend.js';
export { isLoopbackAddress, requireClientAccess } from './auth.js';
export {
  MAX_SIGNATURE_AGE_SECONDS,
  NONCE_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signForwardedRequest,
  verifyForwardedRequest,
  type SignedParts,
} from './forward-signature.js';
export type { RequestDigest } from './launch-routes.js';
export { createRequestLogger, redactHeaders } from './request-log.js';
export { canonicalJson, digestCanonicalJson } from './request-digest.js';
