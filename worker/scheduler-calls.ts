import type { AgentID, Filters, OfferID, Offer_Operation, TaskID } from '../shared/mesos/types.js';

/** One task to reconcile; without an agent id the master looks the task up on every agent. */
export interface ReconcileTask {
  task_id: TaskID;
  agent_id?: AgentID;
}

/**
 * The scheduler calls the worker sends, as `SchedulerClient` offers them. Each resolves once the
 * master returned 202 and rejects when the call could not be delivered.
 */
export interface SchedulerCalls {
  accept(offerIds: OfferID[], operations: Offer_Operation[], filters?: Filters): Promise<void>;
  decline(offerIds: OfferID[], filters?: Filters): Promise<void>;
  revive(roles?: string[]): Promise<void>;
  suppress(roles?: string[]): Promise<void>;
  kill(taskId: TaskID, agentId?: AgentID): Promise<void>;
  acknowledge(agentId: AgentID, taskId: TaskID, uuid: Uint8Array): Promise<void>;
  reconcile(tasks: ReconcileTask[]): Promise<void>;
}

/** Builds a task reference for KILL and RECONCILE from plain ids. */
export function taskReference(taskId: string, agentId: string | undefined): ReconcileTask {
  return agentId
    ? { task_id: { value: taskId }, agent_id: { value: agentId } }
    : { task_id: { value: taskId } };
}
