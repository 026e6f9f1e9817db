import type { Resource } from '../mesos-types.js';
import { validateMasterResources } from './resource-validation.js';

/** Prefixes for the errors of one resource list, which differ between tasks and executors. */
export interface ResourceSetSubject {
  invalid: string;
  roles: string;
  mixes: string;
}

/**
 * Runs the master's checks of a task's or executor's resources after syntax: valid values, one
 * allocation role, and no mix of revocable and non-revocable resources of one name.
 */
export function validateResourceSet(
  resources: readonly Resource[],
  subject: ResourceSetSubject,
): string | undefined {
  const error = validateMasterResources(resources);
  if (error !== undefined) {
    return subject.invalid + error;
  }

  const roleError = validateSingleAllocationRole(resources);
  if (roleError !== undefined) {
    return subject.roles + roleError;
  }

  const mixError = validateRevocableMix(resources);
  return mixError === undefined ? undefined : subject.mixes + mixError;
}

/** Every resource must carry the same `allocation_info.role` (the master injects it first). */
export function validateSingleAllocationRole(resources: readonly Resource[]): string | undefined {
  let role: string | undefined;
  for (const resource of resources) {
    const current = resource.allocation_info?.role;
    if (current === undefined) {
      return 'The resources are not allocated to a role';
    }
    if (role === undefined) {
      role = current;
    } else if (current !== role) {
      return `The resources have multiple allocation roles ('${current}' and '${role}') but only one allocation role is allowed`;
    }
  }
  return undefined;
}

export function validateRevocableMix(resources: readonly Resource[]): string | undefined {
  const names = new Set(resources.map((resource) => resource.name));
  for (const name of names) {
    const named = resources.filter((resource) => resource.name === name);
    const revocable = named.filter((resource) => resource.revocable !== undefined);
    if (revocable.length > 0 && revocable.length !== named.length) {
      return `Cannot use both revocable and non-revocable '${name}' at the same time`;
    }
  }
  return undefined;
}
