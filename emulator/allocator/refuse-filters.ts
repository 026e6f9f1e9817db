import type { Filters } from '../mesos-types.js';
import type { Framework } from '../master/model.js';
import type { ResourceBag } from '../resources/resource-bag.js';

/** `Filters.refuse_seconds` when unset or invalid (mesos.proto). */
export const DEFAULT_REFUSE_SECONDS = 5;
/** The allocator caps refuse_seconds at 365 days (`hierarchical.cpp`, `recoverResources`). */
export const MAX_REFUSE_SECONDS = 365 * 24 * 3600;

/**
 * Returns how long a refuse filter lasts, in milliseconds, or 0 for no filter. As in Mesos:
 * unset means 5 s, negative or not a number means 5 s, above 365 days is capped, a value that
 * rounds to 0 ns means no filter, and any filter lasts at least one allocation interval.
 */
export function refuseDurationMs(
  filters: Filters | undefined,
  allocationIntervalMs: number,
): number {
  let seconds = filters?.refuse_seconds ?? DEFAULT_REFUSE_SECONDS;

  if (Number.isNaN(seconds) || seconds < 0) {
    seconds = DEFAULT_REFUSE_SECONDS;
  } else if (seconds > MAX_REFUSE_SECONDS) {
    seconds = MAX_REFUSE_SECONDS;
  }

  if (Math.trunc(seconds * 1e9) === 0) {
    return 0;
  }
  return Math.max(allocationIntervalMs, seconds * 1000);
}

function filterKey(role: string, agentId: string): string {
  return `${role}\u0000${agentId}`;
}

export function addRefuseFilter(
  framework: Framework,
  role: string,
  agentId: string,
  resources: ResourceBag,
  durationMs: number,
): void {
  const key = filterKey(role, agentId);
  const filters = framework.filters.get(key) ?? [];
  filters.push({ resources: resources.clone(), expiresAt: Date.now() + durationMs });
  framework.filters.set(key, filters);
}

/**
 * Tells whether a live filter of this framework, role and agent refused a superset of
 * `resources`. Expired filters are dropped on the way.
 */
export function isFiltered(
  framework: Framework,
  role: string,
  agentId: string,
  resources: ResourceBag,
  now: number,
): boolean {
  const key = filterKey(role, agentId);
  const filters = framework.filters.get(key);
  if (filters === undefined) {
    return false;
  }

  const live = filters.filter((filter) => filter.expiresAt > now);
  if (live.length === 0) {
    framework.filters.delete(key);
    return false;
  }
  if (live.length !== filters.length) {
    framework.filters.set(key, live);
  }
  return live.some((filter) => filter.resources.contains(resources));
}

/** Drops the framework's filters for the given roles, or for every role when none are given. */
export function clearRefuseFilters(framework: Framework, roles: ReadonlySet<string>): void {
  if (roles.size === 0) {
    framework.filters.clear();
    return;
  }
  for (const key of [...framework.filters.keys()]) {
    const role = key.slice(0, key.indexOf('\u0000'));
    if (roles.has(role)) {
      framework.filters.delete(key);
    }
  }
}
