import type {
  ContainerStatus,
  Event,
  TaskReason,
  TaskState,
  TaskStatus,
  TimeInfo,
} from '../mesos-types.js';
import type { MasterContext } from './context.js';
import type { Framework } from './model.js';

export function nowSeconds(): number {
  return Date.now() / 1000;
}

export function timeInfoNow(): TimeInfo {
  return { nanoseconds: (BigInt(Date.now()) * 1_000_000n).toString() };
}

export interface MasterStatusFields {
  taskId: string;
  agentId?: string;
  state: TaskState;
  reason: TaskReason;
  message: string;
  executorId?: string;
  healthy?: boolean;
  containerStatus?: ContainerStatus;
  unreachableTime?: TimeInfo;
}

/**
 * Builds a status the master generates itself (validation errors, invalid offers, agent loss,
 * reconciliation): SOURCE_MASTER, a timestamp, and no uuid, so it must not be acknowledged.
 */
export function masterStatus(fields: MasterStatusFields): TaskStatus {
  const status: TaskStatus = {
    task_id: { value: fields.taskId },
    state: fields.state,
    message: fields.message,
    source: 'SOURCE_MASTER',
    reason: fields.reason,
    timestamp: nowSeconds(),
  };

  if (fields.agentId !== undefined) {
    status.agent_id = { value: fields.agentId };
  }
  if (fields.executorId !== undefined) {
    status.executor_id = { value: fields.executorId };
  }
  if (fields.healthy !== undefined) {
    status.healthy = fields.healthy;
  }
  if (fields.containerStatus !== undefined) {
    status.container_status = fields.containerStatus;
  }
  if (fields.unreachableTime !== undefined) {
    status.unreachable_time = fields.unreachableTime;
  }
  return status;
}

/** Writes an event to the framework's stream; a disconnected framework gets nothing. */
export function sendEvent(framework: Framework, event: Event): void {
  if (framework.stream !== undefined && !framework.stream.closed) {
    framework.stream.send(event);
  }
}

/**
 * Sends an UPDATE to the scheduler. An update with a uuid also becomes the task's
 * "status update state", which reconciliation reports and a terminal ACK is matched against.
 */
export function forwardUpdate(ctx: MasterContext, framework: Framework, status: TaskStatus): void {
  const task = framework.tasks.get(status.task_id.value);
  if (task !== undefined && status.uuid !== undefined) {
    task.statusUpdateState = status.state;
    task.statusUpdateUuid = status.uuid;
  }

  ctx.logger.debug(
    {
      frameworkId: framework.id,
      taskId: status.task_id.value,
      state: status.state,
      reason: status.reason,
      source: status.source,
    },
    'sending status update',
  );
  sendEvent(framework, { type: 'UPDATE', update: { status } });
}
