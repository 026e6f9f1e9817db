import { pino } from 'pino';
import type { Event, FrameworkInfo } from '../../shared/mesos/index.js';
import {
  SchedulerClient,
  type SchedulerClientOptions,
  type SubscribedInfo,
} from '../../worker/mesos/index.js';

export const FRAMEWORK_INFO: FrameworkInfo = {
  user: 'root',
  name: 'mesos-launch-test',
  failover_timeout: 604800,
  capabilities: [{ type: 'PARTITION_AWARE' }],
};

export type WireEncoding = 'protobuf' | 'json';

/** A client with fast retries and silent logs, plus queues of what it reported. */
export interface ClientProbe {
  client: SchedulerClient;
  nextSubscribed(): Promise<SubscribedInfo>;
  nextEvent(): Promise<Event>;
  nextDisconnect(): Promise<Error>;
  nextError(): Promise<Error>;
}

export function createClient(
  masters: string[],
  encoding: WireEncoding,
  extra: Partial<SchedulerClientOptions> = {},
): ClientProbe {
  const client = new SchedulerClient({
    masters,
    contentType: encoding,
    frameworkInfo: FRAMEWORK_INFO,
    backoff: { initialMs: 10, maxMs: 50 },
    logger: pino({ level: 'silent' }),
    ...extra,
  });

  const subscribed = new Queue<SubscribedInfo>();
  const events = new Queue<Event>();
  const disconnects = new Queue<Error>();
  const errors = new Queue<Error>();
  client.on('subscribed', (info) => subscribed.push(info));
  client.on('event', (event) => events.push(event));
  client.on('disconnected', (error) => disconnects.push(error));
  client.on('error', (error) => errors.push(error));

  return {
    client,
    nextSubscribed: () => subscribed.next(),
    nextEvent: () => events.next(),
    nextDisconnect: () => disconnects.next(),
    nextError: () => errors.next(),
  };
}

/** An unbounded FIFO whose `next()` waits for the next pushed item. */
export class Queue<T> {
  private readonly items: T[] = [];
  private readonly waiting: Array<(item: T) => void> = [];

  push(item: T): void {
    const waiter = this.waiting.shift();
    if (waiter) {
      waiter(item);
    } else {
      this.items.push(item);
    }
  }

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) {
      return Promise.resolve(item);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  get size(): number {
    return this.items.length;
  }
}
