import type { Dispatcher } from 'undici';
import { SchedulerClientError, SchedulerErrorCode } from './errors.js';
import { resolveRedirect } from './masters.js';
import { headerValue } from './request-headers.js';

/**
 * Returns the leading master's URL from a 307 answer, whose Location is scheme-less. Throws a
 * temporary error when the Location is missing or unusable, so the caller tries another master.
 */
export function redirectTarget(response: Dispatcher.ResponseData, from: string): string {
  const location = headerValue(response.headers.location);
  const target = resolveRedirect(location, from);
  if (!target) {
    throw new SchedulerClientError(
      SchedulerErrorCode.redirectFailed,
      `307 from ${from} without a usable Location (${String(location)})`,
      { temporary: true, status: 307, url: from },
    );
  }

  return target;
}
