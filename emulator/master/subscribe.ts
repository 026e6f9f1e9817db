import type { Call, FrameworkInfo } from '../mesos-types.js';
import {
  validateAllocatorOptions,
  validateFrameworkInfo,
  validateFrameworkUpdate,
} from '../validation/framework-validation.js';
import type { MasterContext } from './context.js';
import { discardFrameworkOffers } from './framework-lifecycle.js';
import { Framework, type EventSink } from './model.js';
import { sendEvent } from './updates.js';

type SubscribePayload = NonNullable<Call['subscribe']>;

/**
 * Handles a SUBSCRIBE whose HTTP checks passed and whose 200 response has started. Invalid
 * content gets one ERROR event and a closed stream. A new framework gets an id. A known id
 * fails over, so its old stream gets ERROR "Framework failed over" and closes, and its offers
 * are discarded without RESCIND. Either way SUBSCRIBED is followed by a HEARTBEAT at once.
 */
export function subscribe(ctx: MasterContext, sink: EventSink, payload: SubscribePayload): void {
  const info = payload.framework_info;
  const error =
    validateFrameworkInfo(info) ??
    removedFrameworkError(ctx, info) ??
    validateAllocatorOptions(info, payload.suppressed_roles, payload.offer_constraints);
  if (error !== undefined) {
    rejectSubscription(ctx, sink, info, error);
    return;
  }

  const existingId = info.id?.value ?? '';
  const framework =
    existingId === '' ? registerFramework(ctx, info) : recoverFramework(ctx, existingId, info);

  if (existingId !== '') {
    // Like Mesos, a re-subscription silently keeps the first `user` and `checkpoint`.
    const preserved: FrameworkInfo = { ...info, user: framework.info.user };
    delete preserved.checkpoint;
    if (framework.info.checkpoint !== undefined) {
      preserved.checkpoint = framework.info.checkpoint;
    }
    const updateError = validateFrameworkUpdate(framework.info, preserved);
    if (updateError !== undefined) {
      rejectSubscription(ctx, sink, info, updateError);
      return;
    }
    framework.updateInfo(preserved);
  }

  connect(ctx, framework, sink, payload.suppressed_roles ?? []);
}

function removedFrameworkError(ctx: MasterContext, info: FrameworkInfo): string | undefined {
  const id = info.id?.value;
  return id !== undefined && ctx.completedFrameworks.has(id)
    ? 'Framework has been removed'
    : undefined;
}

function rejectSubscription(
  ctx: MasterContext,
  sink: EventSink,
  info: FrameworkInfo,
  message: string,
): void {
  ctx.logger.info(
    { name: info.name, streamId: sink.streamId, error: message },
    'rejecting subscription',
  );
  sink.send({ type: 'ERROR', error: { message } });
  sink.close();
}

function registerFramework(ctx: MasterContext, info: FrameworkInfo): Framework {
  const id = ctx.ids.frameworkId();
  const framework = new Framework(id, { ...info, id: { value: id } });
  ctx.frameworks.set(id, framework);
  return framework;
}

/** Returns the framework with a known id, or rebuilds one this master does not know (e.g. after a master failover). */
function recoverFramework(ctx: MasterContext, id: string, info: FrameworkInfo): Framework {
  const existing = ctx.frameworks.get(id);
  if (existing !== undefined) {
    return existing;
  }
  const framework = new Framework(id, info);
  ctx.frameworks.set(id, framework);
  return framework;
}

function connect(
  ctx: MasterContext,
  framework: Framework,
  sink: EventSink,
  suppressedRoles: readonly string[],
): void {
  const previous = framework.stream;
  framework.stream = sink;
  if (previous !== undefined && !previous.closed) {
    previous.send({ type: 'ERROR', error: { message: 'Framework failed over' } });
    previous.close();
  }

  discardFrameworkOffers(ctx, framework);
  framework.failoverTimer?.cancel();
  framework.failoverTimer = undefined;
  framework.generation += 1;
  framework.active = true;
  framework.suppressedRoles = new Set(suppressedRoles);

  sendEvent(framework, {
    type: 'SUBSCRIBED',
    subscribed: {
      framework_id: { value: framework.id },
      heartbeat_interval_seconds: ctx.options.heartbeatIntervalSeconds,
      master_info: ctx.masterInfo,
    },
  });
  sink.startHeartbeats();
  ctx.logger.info(
    { frameworkId: framework.id, streamId: sink.streamId, failover: previous !== undefined },
    'framework subscribed',
  );

  for (const runtime of ctx.runtimes.values()) {
    runtime.resumeUpdates(framework.id);
  }
  ctx.allocator.requestAllocation();
}
