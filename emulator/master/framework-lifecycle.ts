import type { MasterContext } from './context.js';
import type { EventSink, Framework } from './model.js';
import { discardOffer } from './offers.js';
import { removeTask, updateTaskState } from './task-state.js';
import { masterStatus } from './updates.js';

/** Mesos keeps 50 removed frameworks by default (`--max_completed_frameworks`). */
const COMPLETED_FRAMEWORK_LIMIT = 50;

/** Handles the end of a SUBSCRIBE response: the framework is disconnected unless it has moved on. */
export function handleStreamClosed(ctx: MasterContext, sink: EventSink): void {
  for (const framework of ctx.frameworks.values()) {
    if (framework.stream === sink) {
      disconnectFramework(ctx, framework);
      return;
    }
  }
}

/**
 * Marks the framework disconnected and inactive, returns its offers without a filter, and
 * starts the failover timer: unless the framework subscribes again within
 * `failover_timeout` seconds (0 by default), it is removed with all its tasks.
 */
export function disconnectFramework(ctx: MasterContext, framework: Framework): void {
  framework.stream = undefined;
  framework.active = false;
  discardFrameworkOffers(ctx, framework);

  const timeoutSeconds = framework.info.failover_timeout ?? 0;
  const delayMs = Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds * 1000 : 0;
  const generation = framework.generation;

  ctx.logger.info(
    { frameworkId: framework.id, failoverTimeoutMs: delayMs },
    'framework disconnected',
  );
  framework.failoverTimer?.cancel();
  framework.failoverTimer = ctx.timers.setTimeout(() => {
    framework.failoverTimer = undefined;
    const current = ctx.frameworks.get(framework.id);
    if (current === framework && !framework.connected && framework.generation === generation) {
      ctx.logger.info(
        { frameworkId: framework.id },
        'framework failover timeout, removing framework',
      );
      removeFramework(ctx, framework);
    }
  }, delayMs);
}

export function discardFrameworkOffers(ctx: MasterContext, framework: Framework): void {
  for (const offerId of [...framework.offers]) {
    const offer = ctx.offers.get(offerId);
    if (offer !== undefined) {
      discardOffer(ctx, offer);
    }
  }
}

/**
 * Removes a framework (TEARDOWN or failover timeout) as `Master::removeFramework` does: its
 * stream closes, agents shut down its executors, and its tasks are recorded as TASK_KILLED
 * with REASON_FRAMEWORK_REMOVED without any update being sent. A later SUBSCRIBE with its id
 * gets ERROR "Framework has been removed".
 */
export function removeFramework(ctx: MasterContext, framework: Framework): void {
  const stream = framework.stream;
  framework.stream = undefined;
  framework.active = false;
  framework.failoverTimer?.cancel();
  stream?.close();
  discardFrameworkOffers(ctx, framework);

  for (const runtime of ctx.runtimes.values()) {
    runtime.shutdownFramework(framework.id);
  }

  const message = `Framework ${framework.id} removed`;
  for (const task of [...framework.tasks.values()]) {
    const status = masterStatus({
      taskId: task.taskId,
      agentId: task.agentId,
      state: 'TASK_KILLED',
      reason: 'REASON_FRAMEWORK_REMOVED',
      message,
    });
    updateTaskState(ctx, task, status);
    removeTask(ctx, task);
  }
  for (const [taskId, task] of [...framework.unreachableTasks]) {
    task.state = 'TASK_KILLED';
    framework.unreachableTasks.delete(taskId);
    framework.completedTasks.set(taskId, task);
  }

  ctx.frameworks.delete(framework.id);
  ctx.completedFrameworks.add(framework.id);
  if (ctx.completedFrameworks.size > COMPLETED_FRAMEWORK_LIMIT) {
    const oldest = ctx.completedFrameworks.values().next().value;
    if (oldest !== undefined) {
      ctx.completedFrameworks.delete(oldest);
    }
  }
  ctx.logger.info({ frameworkId: framework.id }, 'framework removed');
}
