import type { FrameworkInfo } from '../mesos-types.js';
import { frameworkCapabilities, frameworkRoles } from '../master/model.js';
import { validateId } from './common-validation.js';
import { formatNameSet, validateRole } from './roles.js';

/** A Duration is int64 nanoseconds, about 292 years either way (`stout/duration.hpp`). */
const INT64_LIMIT = 2 ** 63;

/**
 * Validates FrameworkInfo as `validation::framework::validate` does: roles, the id's syntax,
 * and that failover_timeout fits a Duration. Returns the error message or undefined.
 */
export function validateFrameworkInfo(info: FrameworkInfo): string | undefined {
  const roleError = validateFrameworkRoles(info);
  if (roleError !== undefined) {
    return roleError;
  }

  if (info.id !== undefined && info.id.value !== '') {
    const idError = validateId(info.id.value);
    if (idError !== undefined) {
      return idError;
    }
  }

  const timeout = info.failover_timeout ?? 0;
  if (Math.abs(timeout * 1e9) > INT64_LIMIT) {
    return `The framework failover_timeout (${formatDouble(timeout)}) is invalid`;
  }
  return undefined;
}

function validateFrameworkRoles(info: FrameworkInfo): string | undefined {
  const multiRole = frameworkCapabilities(info).multiRole;

  if (multiRole && info.role !== undefined) {
    return "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable";
  }
  if (!multiRole && (info.roles ?? []).length > 0) {
    return "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable";
  }

  if (multiRole) {
    const roles = info.roles ?? [];
    const duplicates = roles.filter((role, index) => roles.indexOf(role) !== index);
    if (duplicates.length > 0) {
      return `'FrameworkInfo.roles' contains duplicate items: ${formatNameSet(duplicates)}`;
    }
    for (const role of roles) {
      const error = validateRole(role);
      if (error !== undefined) {
        return `'FrameworkInfo.roles' contains invalid role: ${error}`;
      }
    }
    return undefined;
  }

  const error = validateRole(info.role ?? '*');
  return error === undefined ? undefined : `'FrameworkInfo.role' is not a valid role: ${error}`;
}

/** SUBSCRIBE and UPDATE_FRAMEWORK may only suppress and constrain the framework's own roles. */
export function validateAllocatorOptions(
  info: FrameworkInfo,
  suppressedRoles: readonly string[] | undefined,
  offerConstraints: { role_constraints?: Record<string, unknown> } | undefined,
): string | undefined {
  const roles = frameworkRoles(info);

  const invalidSuppressed = (suppressedRoles ?? []).filter((role) => !roles.has(role));
  if (invalidSuppressed.length > 0) {
    return `Suppressed roles ${formatNameSet(invalidSuppressed)} are not contained in the set of roles`;
  }

  for (const role of Object.keys(offerConstraints?.role_constraints ?? {})) {
    if (!roles.has(role)) {
      return `Offer constraints specify \`role_constraints\` for a role '${role}'not contained in the set of roles`;
    }
  }
  return undefined;
}

/**
 * Checks that a re-subscription or UPDATE_FRAMEWORK does not change the principal. SUBSCRIBE keeps the old
 * `user` and `checkpoint` silently before this check; UPDATE_FRAMEWORK rejects changes to them.
 */
export function validateFrameworkUpdate(
  oldInfo: FrameworkInfo,
  newInfo: FrameworkInfo,
): string | undefined {
  if (oldInfo.principal !== newInfo.principal) {
    return "Changing framework's principal is not allowed.";
  }
  if (oldInfo.user !== newInfo.user) {
    return `Updating 'FrameworkInfo.user' is unsupported; attempted to update from '${oldInfo.user}' to '${newInfo.user}'`;
  }
  const oldCheckpoint = oldInfo.checkpoint ?? false;
  const newCheckpoint = newInfo.checkpoint ?? false;
  if (oldCheckpoint !== newCheckpoint) {
    return `Updating 'FrameworkInfo.checkpoint' is unsupported; attempted to update from '${oldCheckpoint}' to '${newCheckpoint}'`;
  }
  return undefined;
}

/** Formats a double as C++'s default ostream does (like `%g`): `1e+20`, `inf`, `0.5`. */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) {
    return 'nan';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? 'inf' : '-inf';
  }

  const exponent = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa = '', power = '0'] = value.toExponential(5).split('e');
    const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    const sign = power.startsWith('-') ? '-' : '+';
    return `${trimmed}e${sign}${power.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return String(Number(value.toPrecision(6)));
}
