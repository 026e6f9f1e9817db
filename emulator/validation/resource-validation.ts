import type { Resource } from '../mesos-types.js';
import { formatRanges, parseWireRanges } from '../resources/ranges.js';
import { formatScalar, toMilli } from '../resources/scalar.js';
import { isStrictSubroleOf, validateRole } from './roles.js';

/**
 * Validates a list of resources as Mesos's `Resources::validate` does and returns the first
 * error as `Resource '<resource>' is invalid: <reason>`, or undefined.
 */
export function validateResourceList(
  resources: readonly Resource[] | undefined,
): string | undefined {
  for (const resource of resources ?? []) {
    const error = validateResource(resource);
    if (error !== undefined) {
      return `Resource '${formatUnvalidated(resource)}' is invalid: ${error}`;
    }
  }
  return undefined;
}

/**
 * Runs the master's resource check (`validation::resource::validate`): syntax first, then whole
 * `gpus`. DiskInfo and dynamic reservation details are not checked further here.
 */
export function validateMasterResources(resources: readonly Resource[]): string | undefined {
  const syntaxError = validateResourceList(resources);
  if (syntaxError !== undefined) {
    return `Invalid resources: ${syntaxError}`;
  }

  const gpusMilli = resources
    .filter((resource) => resource.name === 'gpus' && resource.type === 'SCALAR')
    .reduce((sum, resource) => sum + toMilli(resource.scalar?.value ?? 0), 0);
  if (gpusMilli % 1000 !== 0) {
    return "Invalid 'gpus' resource: The 'gpus' resource must be an unsigned integer";
  }
  return undefined;
}

export function validateResource(resource: Resource): string | undefined {
  if (resource.name === '') {
    return 'Empty resource name';
  }

  const valueError = validateValue(resource);
  if (valueError !== undefined) {
    return valueError;
  }

  if (resource.disk !== undefined && resource.name !== 'disk') {
    return `DiskInfo should not be set for ${resource.name} resource`;
  }

  const reservationError =
    resource.reservations === undefined || resource.reservations.length === 0
      ? validatePreRefinement(resource)
      : validatePostRefinement(resource);
  if (reservationError !== undefined) {
    return reservationError;
  }

  return validateShared(resource);
}

function validateValue(resource: Resource): string | undefined {
  switch (resource.type) {
    case 'SCALAR':
      return validateScalar(resource);
    case 'RANGES':
      return validateRanges(resource);
    case 'SET':
      return validateSet(resource);
    case 'TEXT':
      return 'Unsupported resource type';
    default:
      return 'Invalid resource type';
  }
}

function validateScalar(resource: Resource): string | undefined {
  if (
    resource.scalar === undefined ||
    resource.ranges !== undefined ||
    resource.set !== undefined
  ) {
    return 'Invalid scalar resource';
  }
  const value = resource.scalar.value;
  if (!Number.isFinite(value) || (value !== 0 && toMilli(value) <= 0)) {
    return 'Invalid scalar resource: value <= 0';
  }
  return undefined;
}

function validateRanges(resource: Resource): string | undefined {
  if (
    resource.scalar !== undefined ||
    resource.ranges === undefined ||
    resource.set !== undefined
  ) {
    return 'Invalid ranges resource';
  }

  const ranges = parseWireRanges(resource.ranges);
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i]!;
    if (range.begin > range.end) {
      return 'Invalid ranges resource: begin > end';
    }
    // Mesos checks only whether a later range starts inside an earlier one.
    for (let j = i + 1; j < ranges.length; j++) {
      const later = ranges[j]!;
      if (range.begin <= later.begin && later.begin <= range.end) {
        return 'Invalid ranges resource: overlapping ranges';
      }
    }
  }
  return undefined;
}

function validateSet(resource: Resource): string | undefined {
  if (
    resource.scalar !== undefined ||
    resource.ranges !== undefined ||
    resource.set === undefined
  ) {
    return 'Invalid set resource';
  }
  const items = resource.set.item ?? [];
  if (new Set(items).size !== items.length) {
    return 'Invalid set resource: duplicated elements';
  }
  return undefined;
}

function validatePreRefinement(resource: Resource): string | undefined {
  const roleError = validateRole(resource.role ?? '*');
  if (roleError !== undefined) {
    return roleError;
  }

  if (resource.reservation !== undefined) {
    if (resource.reservation.type !== undefined) {
      return "'Resource.ReservationInfo.type' must not be set for the 'Resource.reservation' field";
    }
    if (resource.reservation.role !== undefined) {
      return "'Resource.ReservationInfo.role' must not be set for the 'Resource.reservation' field";
    }
    if ((resource.role ?? '*') === '*') {
      return 'Invalid reservation: role "*" cannot be dynamically reserved';
    }
  }
  return undefined;
}

function validatePostRefinement(resource: Resource): string | undefined {
  const reservations = resource.reservations ?? [];

  for (const reservation of reservations) {
    if (reservation.type === undefined) {
      return "Invalid reservation: 'Resource.ReservationInfo.type' field must be set.";
    }
    if (reservation.role === undefined) {
      return "Invalid reservation: 'Resource.ReservationInfo.role' field must be set.";
    }
    const roleError = validateRole(reservation.role);
    if (roleError !== undefined) {
      return roleError;
    }
    if (reservation.role === '*') {
      return 'Invalid reservation: role "*" cannot be reserved';
    }
  }

  const refinementError = validateRefinementChain(reservations);
  if (refinementError !== undefined) {
    return refinementError;
  }
  return validateLegacyFieldsWithReservations(resource);
}

function validateRefinementChain(
  reservations: NonNullable<Resource['reservations']>,
): string | undefined {
  let ancestor = reservations[0]?.role ?? '';
  for (const reservation of reservations.slice(1)) {
    if (reservation.type === 'STATIC') {
      return 'Invalid refined reservation: A refined reservation cannot be STATIC';
    }
    const descendant = reservation.role ?? '';
    if (!isStrictSubroleOf(descendant, ancestor)) {
      return `Invalid refined reservation: role '${descendant}' is not a refinement of '${ancestor}'`;
    }
    ancestor = descendant;
  }
  return undefined;
}

function validateLegacyFieldsWithReservations(resource: Resource): string | undefined {
  const reservations = resource.reservations ?? [];

  if (reservations.length > 1) {
    if (resource.role !== undefined) {
      return "Invalid resource format: 'Resource.role' must not be set if there is more than one reservation in 'Resource.reservations'";
    }
    if (resource.reservation !== undefined) {
      return "Invalid resource format: 'Resource.reservation' must not be set if there is more than one reservation in 'Resource.reservations'";
    }
    return undefined;
  }

  const only = reservations[0]!;
  if (resource.role !== undefined && resource.role !== only.role) {
    return `Invalid resource format: 'Resource.role' field with '${resource.role}' does not match the role '${only.role ?? ''}' in 'Resource.reservations'`;
  }
  if (only.type === 'STATIC' && resource.reservation !== undefined) {
    return "Invalid resource format: 'Resource.reservation' must not be set if the single reservation in 'Resource.reservations' is STATIC";
  }
  if (
    only.type === 'DYNAMIC' &&
    (resource.role !== undefined) !== (resource.reservation !== undefined)
  ) {
    return "Invalid resource format: 'Resource.role' and 'Resource.reservation' must either be both set or both not set if the single reservation in 'Resource.reservations' is DYNAMIC";
  }
  if (only.type !== 'STATIC' && only.type !== 'DYNAMIC') {
    return "Unsupported 'Resource.ReservationInfo.Type'";
  }
  return undefined;
}

function validateShared(resource: Resource): string | undefined {
  if (resource.shared === undefined) {
    return undefined;
  }
  if (resource.name !== 'disk') {
    return `Resource ${resource.name} cannot be shared`;
  }
  const disk = resource.disk as { persistence?: unknown } | undefined;
  if (disk?.persistence === undefined) {
    return 'Only persistent volumes can be shared';
  }
  return undefined;
}

/** Formats a resource that may be invalid, as `operator<<(Resource)` does for error messages. */
export function formatUnvalidated(resource: Resource): string {
  let text = resource.name;
  if (resource.allocation_info !== undefined) {
    text += `(allocated: ${resource.allocation_info.role ?? ''})`;
  }
  if (resource.revocable !== undefined) {
    text += '{REV}';
  }
  if (resource.shared !== undefined) {
    text += '<SHARED>';
  }
  return `${text}:${formatUnvalidatedValue(resource)}`;
}

function formatUnvalidatedValue(resource: Resource): string {
  switch (resource.type) {
    case 'SCALAR':
      return formatScalar(resource.scalar?.value ?? 0);
    case 'RANGES':
      return formatRanges(parseWireRanges(resource.ranges));
    case 'SET':
      return `{${(resource.set?.item ?? []).join(', ')}}`;
    default:
      return '';
  }
}
