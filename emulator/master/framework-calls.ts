import { clearRefuseFilters } from '../allocator/refuse-filters.js';
import type { Call } from '../mesos-types.js';
import {
  validateAllocatorOptions,
  validateFrameworkInfo,
  validateFrameworkUpdate,
} from '../validation/framework-validation.js';
import { validateRole } from '../validation/roles.js';
import type { MasterContext } from './context.js';
import type { Framework } from './model.js';
import { rescindOffer } from './offers.js';

/**
 * Returns the roles a REVIVE or SUPPRESS names, or undefined when one is invalid or not the
 * framework's: Mesos then drops the whole call, although the HTTP status stays 202.
 */
function callRoles(
  ctx: MasterContext,
  framework: Framework,
  roles: readonly string[],
): Set<string> | undefined {
  for (const role of roles) {
    const error =
      validateRole(role) ??
      (framework.roles.has(role) ? undefined : "not one of the framework's roles");
    if (error !== undefined) {
      ctx.logger.warn(
        { frameworkId: framework.id, role, error },
        'dropping call with an invalid role',
      );
      return undefined;
    }
  }
  return new Set(roles);
}

/** REVIVE clears the roles' refuse filters, lifts their suppression and allocates at once. */
export function revive(ctx: MasterContext, framework: Framework, roles: readonly string[]): void {
  const selected = callRoles(ctx, framework, roles);
  if (selected === undefined) {
    return;
  }
  clearRefuseFilters(framework, selected);
  const revived = selected.size === 0 ? framework.roles : selected;
  revived.forEach((role) => framework.suppressedRoles.delete(role));
  ctx.allocator.requestAllocation();
}

/** SUPPRESS stops offers for the roles (all when none are named) but rescinds nothing. */
export function suppress(ctx: MasterContext, framework: Framework, roles: readonly string[]): void {
  const selected = callRoles(ctx, framework, roles);
  if (selected === undefined) {
    return;
  }
  const suppressed = selected.size === 0 ? framework.roles : selected;
  suppressed.forEach((role) => framework.suppressedRoles.add(role));
}

export interface HttpAnswer {
  status: number;
  body?: string;
}

/**
 * Handles UPDATE_FRAMEWORK: 200 on success, 400 when the new FrameworkInfo is invalid or
 * changes `principal`, `user` or `checkpoint`. Offers for roles the framework leaves are rescinded.
 */
export function updateFramework(
  ctx: MasterContext,
  framework: Framework,
  payload: NonNullable<Call['update_framework']>,
): HttpAnswer {
  const info = payload.framework_info;
  const invalid = validateFrameworkInfo(info);
  if (invalid !== undefined) {
    return { status: 400, body: `Supplied FrameworkInfo is not valid: ${invalid}` };
  }
  const updateError = validateFrameworkUpdate(framework.info, info);
  if (updateError !== undefined) {
    return { status: 400, body: `FrameworkInfo update is not valid: ${updateError}` };
  }
  const optionsError = validateAllocatorOptions(
    info,
    payload.suppressed_roles,
    payload.offer_constraints,
  );
  if (optionsError !== undefined) {
    return { status: 400, body: `'UpdateFramework' call is not valid: ${optionsError}` };
  }

  framework.updateInfo(info);
  framework.suppressedRoles = new Set(payload.suppressed_roles ?? []);
  for (const offerId of [...framework.offers]) {
    const offer = ctx.offers.get(offerId);
    if (offer !== undefined && !framework.roles.has(offer.role)) {
      rescindOffer(ctx, offer);
    }
  }
  ctx.allocator.requestAllocation();
  return { status: 200 };
}
