import type {
  Filters,
  Offer,
  OfferID,
  Offer_Operation,
  Resource,
} from '../../../shared/mesos/types.js';
import type { ReconcileTask, SchedulerCalls } from '../../../worker/scheduler-calls.js';

/** One call a FakeCalls received, with its arguments. */
export type RecordedCall =
  | { type: 'ACCEPT'; offerIds: OfferID[]; operations: Offer_Operation[]; filters?: Filters }
  | { type: 'DECLINE'; offerIds: OfferID[]; filters?: Filters }
  | { type: 'REVIVE' | 'SUPPRESS' }
  | { type: 'KILL'; taskId: string; agentId?: string }
  | { type: 'ACKNOWLEDGE'; agentId: string; taskId: string; uuid: Uint8Array }
  | { type: 'RECONCILE'; tasks: ReconcileTask[] };

/** Records scheduler calls instead of sending them. */
export class FakeCalls implements SchedulerCalls {
  readonly calls: RecordedCall[] = [];

  async accept(offerIds: OfferID[], operations: Offer_Operation[], filters?: Filters) {
    this.calls.push({ type: 'ACCEPT', offerIds, operations, filters });
  }

  async decline(offerIds: OfferID[], filters?: Filters) {
    this.calls.push({ type: 'DECLINE', offerIds, filters });
  }

  async revive() {
    this.calls.push({ type: 'REVIVE' });
  }

  async suppress() {
    this.calls.push({ type: 'SUPPRESS' });
  }

  async kill(taskId: { value: string }, agentId?: { value: string }) {
    this.calls.push({ type: 'KILL', taskId: taskId.value, agentId: agentId?.value });
  }

  async acknowledge(agentId: { value: string }, taskId: { value: string }, uuid: Uint8Array) {
    this.calls.push({ type: 'ACKNOWLEDGE', agentId: agentId.value, taskId: taskId.value, uuid });
  }

  async reconcile(tasks: ReconcileTask[]) {
    this.calls.push({ type: 'RECONCILE', tasks });
  }

  ofType<T extends RecordedCall['type']>(type: T): Extract<RecordedCall, { type: T }>[] {
    return this.calls.filter(
      (call): call is Extract<RecordedCall, { type: T }> => call.type === type,
    );
  }
}

/** Builds an unreserved offer of `cpus`, 4096 MB and ports [31000-31099]. */
export function testOffer(id: string, agentId: string, cpus: number): Offer {
  const resources: Resource[] = [
    { name: 'cpus', type: 'SCALAR', scalar: { value: cpus }, role: '*' },
    { name: 'mem', type: 'SCALAR', scalar: { value: 4096 }, role: '*' },
    {
      name: 'ports',
      type: 'RANGES',
      ranges: { range: [{ begin: '31000', end: '31099' }] },
      role: '*',
    },
  ];

  return {
    id: { value: id },
    framework_id: { value: 'framework-1' },
    agent_id: { value: agentId },
    hostname: `${agentId}.example.com`,
    resources,
  };
}
