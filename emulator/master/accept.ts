import type { Call, OfferOperation, TaskInfo } from '../mesos-types.js';
import { ResourceBag } from '../resources/resource-bag.js';
import { validateOffers } from '../validation/offer-validation.js';
import { validateResourceList } from '../validation/resource-validation.js';
import type { MasterContext } from './context.js';
import { launchTasks, normalizeTask } from './launch.js';
import type { Agent, Framework } from './model.js';
import { discardOffer, recoverResources, removeOffer } from './offers.js';
import { forwardUpdate, masterStatus, sendEvent } from './updates.js';

type AcceptPayload = NonNullable<Call['accept']>;

/**
 * Handles ACCEPT as `Master::accept` and `Master::_accept` do. Invalid offers fail every
 * task with TASK_LOST (TASK_DROPPED for PARTITION_AWARE) and REASON_INVALID_OFFERS. Otherwise
 * each LAUNCH is checked and its valid tasks consume the offers in order. What is left
 * returns to the agent with `accept.filters` (a 5 s filter when unset).
 */
export function accept(ctx: MasterContext, framework: Framework, payload: AcceptPayload): void {
  const offerIds = payload.offer_ids ?? [];
  const operations = payload.operations ?? [];

  const error =
    offerIds.length === 0 ? 'No offers specified' : validateOffers(ctx, offerIds, framework);
  if (error !== undefined) {
    rejectInvalidOffers(ctx, framework, payload, error);
    return;
  }

  const offers = offerIds.map((offerId) => ctx.offers.get(offerId.value)!);
  const first = offers[0]!;
  const agent = ctx.agents.get(first.agentId)!;
  const remaining = new ResourceBag();
  for (const offer of offers) {
    remaining.add(offer.resources);
    removeOffer(ctx, offer);
  }

  const accepted = operations.filter((operation) => checkOperation(ctx, framework, operation));
  for (const operation of accepted) {
    applyOperation(ctx, framework, agent, first.role, remaining, operation);
  }

  recoverResources(ctx, framework.id, agent.id, first.role, remaining, payload.filters ?? {});
}

function rejectInvalidOffers(
  ctx: MasterContext,
  framework: Framework,
  payload: AcceptPayload,
  error: string,
): void {
  for (const offerId of payload.offer_ids ?? []) {
    const offer = ctx.offers.get(offerId.value);
    if (offer !== undefined) {
      discardOffer(ctx, offer);
    }
  }

  ctx.logger.info({ frameworkId: framework.id, error }, 'ACCEPT used invalid offers');
  const state = framework.capabilities.partitionAware ? 'TASK_DROPPED' : 'TASK_LOST';
  for (const operation of payload.operations ?? []) {
    if (operation.type !== 'LAUNCH' && operation.type !== 'LAUNCH_GROUP') {
      dropOperation(framework, operation, `Operation attempted with invalid offers: ${error}`);
      continue;
    }
    for (const task of operationTasks(operation)) {
      const status = masterStatus({
        taskId: task.task_id.value,
        agentId: task.agent_id.value,
        state,
        reason: 'REASON_INVALID_OFFERS',
        message: `Task launched with invalid offers: ${error}`,
      });
      forwardUpdate(ctx, framework, status);
    }
  }
}

/**
 * Runs the checks the master makes on every operation before applying any: resource syntax,
 * and no `id` on LAUNCH. A failing LAUNCH sends TASK_ERROR for each of its tasks and is skipped.
 */
function checkOperation(
  ctx: MasterContext,
  framework: Framework,
  operation: OfferOperation,
): boolean {
  if (operation.type !== 'LAUNCH' && operation.type !== 'LAUNCH_GROUP') {
    return true;
  }

  const tasks = operationTasks(operation);
  const resources = tasks.flatMap((task) => [task, ...(task.executor ? [task.executor] : [])]);
  const resourceError = resources
    .map((owner) => validateResourceList(owner.resources))
    .find((found) => found !== undefined);
  const idError =
    operation.id === undefined
      ? undefined
      : `The \`id\` field cannot be set on ${operation.type} operations`;
  const error = resourceError ?? idError;
  if (error === undefined) {
    return true;
  }

  const reason = operation.type === 'LAUNCH' ? 'REASON_TASK_INVALID' : 'REASON_TASK_GROUP_INVALID';
  for (const task of tasks) {
    const status = masterStatus({
      taskId: task.task_id.value,
      agentId: task.agent_id.value,
      state: 'TASK_ERROR',
      reason,
      message: error,
    });
    forwardUpdate(ctx, framework, status);
  }
  return false;
}

function applyOperation(
  ctx: MasterContext,
  framework: Framework,
  agent: Agent,
  role: string,
  remaining: ResourceBag,
  operation: OfferOperation,
): void {
  switch (operation.type) {
    case 'LAUNCH': {
      const tasks = (operation.launch?.task_infos ?? []).map((task) =>
        normalizeTask(task, framework, role),
      );
      launchTasks(ctx, { framework, agent, role, available: remaining }, tasks);
      return;
    }
    case 'LAUNCH_GROUP':
      rejectTaskGroup(ctx, framework, operation);
      return;
    case undefined:
    case 'UNKNOWN':
      ctx.logger.warn({ frameworkId: framework.id }, 'ignoring unknown operation');
      return;
    default:
      dropOperation(
        framework,
        operation,
        `${operation.type} operations are not supported by the emulated master`,
      );
  }
}

// NOTE: LAUNCH_GROUP needs the default executor, which the emulated agents do not simulate.
function rejectTaskGroup(
  ctx: MasterContext,
  framework: Framework,
  operation: OfferOperation,
): void {
  for (const task of operationTasks(operation)) {
    const status = masterStatus({
      taskId: task.task_id.value,
      agentId: task.agent_id.value,
      state: 'TASK_ERROR',
      reason: 'REASON_TASK_GROUP_INVALID',
      message: 'LAUNCH_GROUP is not supported by the emulated master',
    });
    forwardUpdate(ctx, framework, status);
  }
}

/** Reports a dropped operation with OPERATION_ERROR, but only when it requested feedback with `id`. */
function dropOperation(framework: Framework, operation: OfferOperation, message: string): void {
  if (operation.id === undefined) {
    return;
  }
  sendEvent(framework, {
    type: 'UPDATE_OPERATION_STATUS',
    update_operation_status: {
      status: { operation_id: operation.id, state: 'OPERATION_ERROR', message },
    },
  });
}

function operationTasks(operation: OfferOperation): TaskInfo[] {
  if (operation.type === 'LAUNCH') {
    return operation.launch?.task_infos ?? [];
  }
  return operation.launch_group?.task_group.tasks ?? [];
}
