import type { Event, MasterInfo } from '../../shared/mesos/index.js';

/** Details of a successful SUBSCRIBE, reported once per subscription. */
export interface SubscribedInfo {
  frameworkId: string;
  streamId: string;
  heartbeatIntervalSeconds: number;
  masterInfo?: MasterInfo;
  /** The scheduler endpoint of the master that accepted the subscription. */
  masterUrl: string;
}

/**
 * Listener signatures. `subscribed` and `event` listeners may return a promise; the client
 * awaits it before it reads the next record, so events are handled one at a time in stream
 * order. `disconnected` and `error` listeners are called without waiting.
 */
export interface SchedulerClientListeners {
  subscribed: (info: SubscribedInfo) => unknown;
  event: (event: Event) => unknown;
  disconnected: (error: Error) => unknown;
  error: (error: Error) => unknown;
}

export type SchedulerClientEventName = keyof SchedulerClientListeners;

/** A small typed listener registry that can await its listeners in order. */
export class ListenerRegistry {
  private readonly listeners: {
    [K in SchedulerClientEventName]: Array<SchedulerClientListeners[K]>;
  } = {
    subscribed: [],
    event: [],
    disconnected: [],
    error: [],
  };

  add<K extends SchedulerClientEventName>(name: K, listener: SchedulerClientListeners[K]): void {
    this.listeners[name].push(listener);
  }

  remove<K extends SchedulerClientEventName>(name: K, listener: SchedulerClientListeners[K]): void {
    const list = this.listeners[name] as Array<SchedulerClientListeners[K]>;
    const index = list.indexOf(listener);
    if (index >= 0) {
      list.splice(index, 1);
    }
  }

  count(name: SchedulerClientEventName): number {
    return this.listeners[name].length;
  }

  /** Calls each listener in turn and awaits what it returns; a failure is passed to `onFailure`. */
  async callInOrder<K extends SchedulerClientEventName>(
    name: K,
    argument: Parameters<SchedulerClientListeners[K]>[0],
    onFailure: (error: unknown) => void,
  ): Promise<void> {
    for (const listener of [...this.listeners[name]]) {
      try {
        await (listener as (value: typeof argument) => unknown)(argument);
      } catch (error) {
        onFailure(error);
      }
    }
  }

  /** Calls each listener without waiting; a thrown error or rejection goes to `onFailure`. */
  callWithoutWaiting<K extends SchedulerClientEventName>(
    name: K,
    argument: Parameters<SchedulerClientListeners[K]>[0],
    onFailure: (error: unknown) => void,
  ): void {
    for (const listener of [...this.listeners[name]]) {
      try {
        const result = (listener as (value: typeof argument) => unknown)(argument);
        if (result instanceof Promise) {
          result.catch(onFailure);
        }
      } catch (error) {
        onFailure(error);
      }
    }
  }
}
