import { Agent, request } from 'undici';
import {
  RecordIoDecoder,
  decodeEvent,
  encodeCall,
  type Call,
  type Event,
  type FrameworkInfo,
  type MesosContentType,
} from '../../../shared/mesos/index.js';

/** A raw HTTP response from the emulator. */
export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

export interface PostOptions {
  method?: 'POST' | 'GET' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

/** A connection pool shared by the helpers; each test file closes it in `afterAll`. */
export const testDispatcher = new Agent({ connections: 32, pipelining: 0 });

/** Sends one HTTP request and reads the whole response. */
export async function post(url: string, options: PostOptions = {}): Promise<HttpReply> {
  const response = await request(url, {
    method: options.method ?? 'POST',
    headers: options.headers ?? {},
    body: options.body,
    dispatcher: testDispatcher,
  });
  const body = Buffer.from(await response.body.arrayBuffer());
  return {
    status: response.statusCode,
    headers: response.headers,
    body,
    text: body.toString('utf8'),
  };
}

/** Encodes a call and POSTs it with the given Content-Type. */
export async function sendCall(
  url: string,
  call: Call,
  contentType: MesosContentType,
  headers: Record<string, string> = {},
): Promise<HttpReply> {
  return post(url, {
    headers: { 'content-type': contentType, ...headers },
    body: encodeCall(call, contentType),
  });
}

export function frameworkInfo(overrides: Partial<FrameworkInfo> = {}): FrameworkInfo {
  return { user: 'root', name: 'emulator-test', ...overrides };
}

export interface SubscribeOptions {
  contentType?: MesosContentType;
  /** The `Accept` header; the content type when unset. */
  accept?: string;
  info?: FrameworkInfo;
  suppressedRoles?: string[];
  headers?: Record<string, string>;
}

type EventPredicate = (event: Event) => boolean;

interface Waiter {
  predicate: EventPredicate;
  resolve(event: Event): void;
}

/**
 * A minimal scheduler for tests: one SUBSCRIBE stream read with the project's RecordIO decoder
 * and codec, every event kept in order, and calls sent with the stream's id.
 */
export class TestScheduler {
  readonly events: Event[] = [];
  ended = false;
  private cursor = 0;
  private waiters: Waiter[] = [];
  private endWaiters: Array<() => void> = [];
  private constructor(
    private readonly abort: AbortController,
    readonly url: string,
    readonly contentType: MesosContentType,
    readonly streamContentType: string,
    readonly streamId: string,
    readonly status: number,
  ) {}

  /** Opens a SUBSCRIBE stream and starts reading it; does not wait for SUBSCRIBED. */
  static async open(url: string, options: SubscribeOptions = {}): Promise<TestScheduler> {
    const contentType = options.contentType ?? 'application/json';
    const info = options.info ?? frameworkInfo();
    const call: Call = {
      type: 'SUBSCRIBE',
      subscribe: {
        framework_info: info,
        ...(options.suppressedRoles !== undefined
          ? { suppressed_roles: options.suppressedRoles }
          : {}),
      },
      ...(info.id !== undefined ? { framework_id: info.id } : {}),
    };

    const abort = new AbortController();
    const response = await request(url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        accept: options.accept ?? contentType,
        ...options.headers,
      },
      body: encodeCall(call, contentType),
      bodyTimeout: 0,
      dispatcher: testDispatcher,
      signal: abort.signal,
    });

    const streamType = String(response.headers['content-type'] ?? '');
    const streamId = String(response.headers['mesos-stream-id'] ?? '');
    const scheduler = new TestScheduler(
      abort,
      url,
      contentType,
      streamType,
      streamId,
      response.statusCode,
    );
    void scheduler.read(response.body, streamType as MesosContentType);
    return scheduler;
  }

  /** Subscribes and waits for SUBSCRIBED. */
  static async subscribe(url: string, options: SubscribeOptions = {}): Promise<TestScheduler> {
    const scheduler = await TestScheduler.open(url, options);
    await scheduler.next('SUBSCRIBED');
    return scheduler;
  }

  get frameworkId(): string {
    const subscribed = this.events.find((event) => event.type === 'SUBSCRIBED');
    if (subscribed?.subscribed === undefined) {
      throw new Error('not subscribed yet');
    }
    return subscribed.subscribed.framework_id.value;
  }

  /**
   * Returns the next not yet consumed event of the type (or matching the predicate), waiting
   * for it if needed. Events before it are skipped, not consumed by later calls.
   */
  async next(match: string | EventPredicate, timeoutMs = 10_000): Promise<Event> {
    const predicate = typeof match === 'string' ? (event: Event) => event.type === match : match;
    for (let i = this.cursor; i < this.events.length; i++) {
      const event = this.events[i]!;
      if (predicate(event)) {
        this.cursor = i + 1;
        return event;
      }
    }
    this.cursor = this.events.length;

    return new Promise<Event>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
        reject(
          new Error(
            `no ${typeof match === 'string' ? match : 'matching'} event within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const done = (event: Event): void => {
        clearTimeout(timer);
        resolve(event);
      };
      this.waiters.push({ predicate, resolve: done });
    });
  }

  /** Waits for the next UPDATE of a task, optionally in a given state. */
  async nextUpdate(
    taskId: string,
    state?: string,
    timeoutMs?: number,
  ): Promise<NonNullable<Event['update']>['status']> {
    const event = await this.next(
      (candidate) =>
        candidate.type === 'UPDATE' &&
        candidate.update?.status.task_id.value === taskId &&
        (state === undefined || candidate.update.status.state === state),
      timeoutMs,
    );
    return event.update!.status;
  }

  /** Resolves when the server ends the stream. */
  async waitForEnd(timeoutMs = 10_000): Promise<void> {
    if (this.ended) {
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`stream still open after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.endWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sends a call with this stream's id and framework id. */
  async call(
    call: Omit<Call, 'framework_id'>,
    headers: Record<string, string> = {},
  ): Promise<HttpReply> {
    return sendCall(
      this.url,
      { framework_id: { value: this.frameworkId }, ...call } as Call,
      this.contentType,
      { 'mesos-stream-id': this.streamId, ...headers },
    );
  }

  async acknowledge(status: NonNullable<Event['update']>['status']): Promise<HttpReply> {
    return this.call({
      type: 'ACKNOWLEDGE',
      acknowledge: { agent_id: status.agent_id!, task_id: status.task_id, uuid: status.uuid! },
    });
  }

  /** Closes the connection from the scheduler side. */
  close(): void {
    this.abort.abort();
  }

  private async read(body: AsyncIterable<Buffer>, contentType: MesosContentType): Promise<void> {
    const decoder = new RecordIoDecoder();
    try {
      for await (const chunk of body) {
        for (const record of decoder.push(chunk)) {
          this.deliver(decodeEvent(record, contentType));
        }
      }
    } catch {
      // An aborted or broken connection ends the stream like an EOF.
    }
    this.ended = true;
    this.endWaiters.forEach((resolve) => resolve());
    this.endWaiters = [];
  }

  private deliver(event: Event): void {
    this.events.push(event);
    const waiter = this.waiters.find((candidate) => candidate.predicate(event));
    if (waiter !== undefined) {
      this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
      this.cursor = this.events.length;
      waiter.resolve(event);
    }
  }
}
