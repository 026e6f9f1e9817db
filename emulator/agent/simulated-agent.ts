import { randomUuidBytes } from '../master/ids.js';
import type { AgentRuntime, MasterContext } from '../master/context.js';
import { taskKey, type Agent, type Framework, type Task } from '../master/model.js';
import { receiveAgentUpdate } from '../master/task-state.js';
import { nowSeconds } from '../master/updates.js';
import type { TaskStatus } from '../mesos-types.js';
import { agentNetworkInfos } from './container-network.js';
import { StatusUpdateManager } from './status-update-manager.js';
import { TaskExecutor, type ExecutorHost, type ExecutorStatus } from './task-executor.js';

/**
 * One simulated agent process: it runs an executor per task, gives every executor update a
 * uuid and the container status, and sends updates to the master through its status update
 * manager, applying the delay and duplicate faults on the way.
 */
export class SimulatedAgent implements AgentRuntime, ExecutorHost {
  private readonly executors = new Map<string, TaskExecutor>();
  private readonly updates: StatusUpdateManager;

  constructor(
    readonly ctx: MasterContext,
    readonly agent: Agent,
  ) {
    this.updates = new StatusUpdateManager({
      timers: ctx.timers,
      retryMinMs: ctx.options.statusUpdateRetryMs,
      retryMaxMs: ctx.options.statusUpdateRetryMaxMs,
      forward: (frameworkId, status) => this.forward(frameworkId, status),
      onStreamClosed: (frameworkId, taskId) => this.executors.delete(taskKey(frameworkId, taskId)),
    });
  }

  runTask(task: Task, framework: Framework): void {
    const executor = new TaskExecutor(this, task, framework.capabilities.taskKillingState);
    this.executors.set(task.key, executor);
    executor.launch();
  }

  killTask(task: Task): void {
    this.executors.get(task.key)?.kill();
  }

  exitTask(task: Task, exitCode: number, message?: string): boolean {
    return this.executors.get(task.key)?.exit(exitCode, message) ?? false;
  }

  acknowledge(frameworkId: string, taskId: string, uuid: Uint8Array): void {
    this.updates.acknowledge(frameworkId, taskId, uuid);
  }

  shutdownFramework(frameworkId: string): void {
    for (const [key, executor] of this.executors) {
      if (executor.task.frameworkId === frameworkId) {
        executor.shutdown();
        this.executors.delete(key);
      }
    }
    this.updates.removeFramework(frameworkId);
  }

  resumeUpdates(frameworkId: string): void {
    this.updates.resume(frameworkId);
  }

  stop(): void {
    this.executors.forEach((executor) => executor.shutdown());
    this.executors.clear();
    this.updates.stop();
  }

  /** Turns an executor's status into an agent update and queues it. */
  sendStatus(executor: TaskExecutor, fields: ExecutorStatus): void {
    const task = executor.task;
    const status: TaskStatus = {
      task_id: { value: task.taskId },
      state: fields.state,
      source: fields.source ?? 'SOURCE_EXECUTOR',
      agent_id: { value: this.agent.id },
      executor_id: { value: executor.executorId },
      timestamp: nowSeconds(),
      uuid: randomUuidBytes(),
    };

    if (fields.message !== undefined) {
      status.message = fields.message;
    }
    if (fields.reason !== undefined) {
      status.reason = fields.reason;
    }
    if (fields.data !== undefined) {
      status.data = fields.data;
    }
    if (status.source === 'SOURCE_EXECUTOR') {
      status.container_status = {
        container_id: { value: executor.containerId },
        network_infos: fields.networkInfos ?? agentNetworkInfos(this.agent),
      };
    }

    this.updates.update(task.frameworkId, status);
  }

  private forward(frameworkId: string, status: TaskStatus): void {
    const latestState = this.executors.get(taskKey(frameworkId, status.task_id.value))?.latestState;
    const deliver = (): void => {
      receiveAgentUpdate(this.ctx, this.agent.id, frameworkId, status, latestState);
    };

    const copies = this.ctx.faults.duplicateUpdates ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      if (this.ctx.faults.updateDelayMs > 0) {
        this.ctx.timers.setTimeout(deliver, this.ctx.faults.updateDelayMs);
      } else {
        deliver();
      }
    }
  }
}
