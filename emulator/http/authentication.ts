import { timingSafeEqual } from 'node:crypto';
import type { SchedulerCredential } from '../options.js';

export type AuthenticationResult = { ok: true; principal: string | undefined } | { ok: false };

/**
 * Checks HTTP Basic credentials when the emulator has any configured (like a master started
 * with `--authenticate_http_frameworks`); without credentials every request passes with no
 * principal.
 */
export function authenticate(
  credentials: readonly SchedulerCredential[] | undefined,
  authorization: string | undefined,
): AuthenticationResult {
  if (credentials === undefined) {
    return { ok: true, principal: undefined };
  }

  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (match === null) {
    return { ok: false };
  }
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) {
    return { ok: false };
  }

  const principal = decoded.slice(0, separator);
  const secret = decoded.slice(separator + 1);
  const known = credentials.find((credential) => credential.principal === principal);
  if (known === undefined || !sameSecret(known.secret, secret)) {
    return { ok: false };
  }
  return { ok: true, principal };
}

function sameSecret(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(actual, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
