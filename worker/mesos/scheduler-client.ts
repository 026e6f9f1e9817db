import { createLogger, type Logger } from '../../shared/logger.js';
import {
  MesosDecodeError,
  RecordIoDecoder,
  RecordIoError,
  decodeEvent,
  encodeCall,
  type AgentID,
  type Call,
  type Event,
  type Filters,
  type FrameworkInfo,
  type KillPolicy,
  type MesosContentType,
  type OfferID,
  type Offer_Operation,
  type TaskID,
} from '../../shared/mesos/index.js';
import { Backoff, sleep } from './backoff.js';
import { CallSender } from './call-sender.js';
import { SchedulerClientError, SchedulerErrorCode } from './errors.js';
import { HeartbeatWatchdog } from './heartbeat-watchdog.js';
import {
  ListenerRegistry,
  type SchedulerClientEventName,
  type SchedulerClientListeners,
} from './listeners.js';
import { MasterSelector } from './masters.js';
import { buildRequestHeaders, type Credentials } from './request-headers.js';
import { openEventStream, type OpenStream } from './subscription.js';

export interface SchedulerClientOptions {
  /** `host:port`, `http://host:port` or full scheduler endpoint URLs, tried in order. */
  masters: string[];
  /** Encoding on the wire; default `protobuf`. */
  contentType?: 'protobuf' | 'json';
  /** HTTP Basic credentials, sent on every request when set. */
  credentials?: Credentials;
  /** The framework to subscribe; its `id`, when set, is used for the first SUBSCRIBE. */
  frameworkInfo: FrameworkInfo;
  /** Heartbeat intervals of silence after which the master counts as lost; default 5. */
  heartbeatMissFactor?: number;
  /** Resubscribe backoff; defaults 500 ms doubling up to 30000 ms, with jitter. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Timeout of each call and of the SUBSCRIBE response headers; default 75000 ms. */
  requestTimeoutMs?: number;
  logger?: Logger;
}

/** Mesos 1.x sends a heartbeat every 15 s; this applies until SUBSCRIBED gives the real value. */
const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 15;
const FRAMEWORK_REMOVED_MESSAGE = 'Framework has been removed';

/** Event types delivered to `event` listeners; SUBSCRIBED and HEARTBEAT are handled here. */
const DELIVERED_EVENT_TYPES = new Set<string>([
  'OFFERS',
  'INVERSE_OFFERS',
  'RESCIND',
  'RESCIND_INVERSE_OFFER',
  'UPDATE',
  'UPDATE_OPERATION_STATUS',
  'MESSAGE',
  'FAILURE',
  'ERROR',
]);

/** Failures after which the next SUBSCRIBE goes to the next configured master. */
const ROTATING_CODES = new Set<string>([
  SchedulerErrorCode.unavailable,
  SchedulerErrorCode.connectionFailed,
  SchedulerErrorCode.requestTimeout,
  SchedulerErrorCode.redirectFailed,
  SchedulerErrorCode.unexpectedStatus,
  SchedulerErrorCode.heartbeatTimeout,
]);

/** One SUBSCRIBE response being read. */
interface Session {
  url: string;
  streamId: string;
  contentType: MesosContentType;
  controller: AbortController;
  watchdog: HeartbeatWatchdog;
  subscribed: boolean;
}

/**
 * A Mesos v1 scheduler API client. It keeps one SUBSCRIBE stream open on a connection of its
 * own and resubscribes with the framework id after every loss: stream end, heartbeat silence, a
 * malformed record, an ERROR event, 503, a refused connection. It follows 307 to the leading
 * master, moves to the next configured master on 503 or a connection failure, and backs off
 * exponentially with jitter. Calls go out on a separate keep-alive pool with `Mesos-Stream-Id`.
 *
 * Events are delivered in stream order. The client awaits each `subscribed` and `event`
 * listener (and the promise it returns) before it reads the next record, so a handler that
 * records an update before acknowledging it never races the next update. A listener must not
 * wait for a later event, which would never be read. While a listener runs, the heartbeat
 * watchdog is paused, because the stream is not read then. After an `error` (permanent failure)
 * the loop has ended; call `stop()` to release the connection pools.
 */
export class SchedulerClient {
  private readonly contentType: MesosContentType;
  private readonly credentials: Credentials | undefined;
  private readonly requestTimeoutMs: number;
  private readonly heartbeatMissFactor: number;
  private readonly masters: MasterSelector;
  private readonly backoff: Backoff;
  private readonly callSender: CallSender;
  private readonly listeners = new ListenerRegistry();
  private readonly logger: Logger;
  private readonly stopController = new AbortController();
  private readonly unknownEventCounts = new Map<string, number>();
  private frameworkInfo: FrameworkInfo;
  private session: Session | undefined;
  private loop: Promise<void> | undefined;
  private lastHeartbeat: number | undefined;
  private stopping: Promise<void> | undefined;

  constructor(options: SchedulerClientOptions) {
    this.contentType =
      options.contentType === 'json' ? 'application/json' : 'application/x-protobuf';
    this.credentials = options.credentials;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 75_000;
    this.heartbeatMissFactor = options.heartbeatMissFactor ?? 5;
    this.masters = new MasterSelector(options.masters);
    this.backoff = new Backoff(options.backoff?.initialMs ?? 500, options.backoff?.maxMs ?? 30_000);
    this.frameworkInfo = options.frameworkInfo;
    this.logger = options.logger ?? createLogger('mesos-scheduler-client');
    this.callSender = new CallSender({
      contentType: this.contentType,
      credentials: this.credentials,
      requestTimeoutMs: this.requestTimeoutMs,
    });
  }

  /** Starts the subscribe loop; it runs until `stop()`, `teardown()` or a permanent failure. */
  start(): void {
    if (this.stopController.signal.aborted) {
      throw this.stoppedError();
    }
    this.loop ??= this.run();
  }

  /** Closes the stream without TEARDOWN (the framework stays registered) and both pools. */
  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  get frameworkId(): string | undefined {
    return this.frameworkInfo.id?.value;
  }

  /** The current `Mesos-Stream-Id`, while subscribed. */
  get streamId(): string | undefined {
    return this.session?.subscribed ? this.session.streamId : undefined;
  }

  /** True between SUBSCRIBED and the loss of that stream. */
  get connected(): boolean {
    return this.session?.subscribed === true;
  }

  /** When the last HEARTBEAT (or SUBSCRIBED) arrived, in ms since the epoch. */
  get lastHeartbeatAt(): number | undefined {
    return this.lastHeartbeat;
  }

  on<K extends SchedulerClientEventName>(name: K, listener: SchedulerClientListeners[K]): this {
    this.listeners.add(name, listener);
    return this;
  }

  off<K extends SchedulerClientEventName>(name: K, listener: SchedulerClientListeners[K]): this {
    this.listeners.remove(name, listener);
    return this;
  }

  accept(offerIds: OfferID[], operations: Offer_Operation[], filters?: Filters): Promise<void> {
    return this.sendCall({
      type: 'ACCEPT',
      accept: { offer_ids: offerIds, operations, ...(filters && { filters }) },
    });
  }

  decline(offerIds: OfferID[], filters?: Filters): Promise<void> {
    return this.sendCall({
      type: 'DECLINE',
      decline: { offer_ids: offerIds, ...(filters && { filters }) },
    });
  }

  /** Asks for offers again; no roles means every role of the framework. */
  revive(roles?: string[]): Promise<void> {
    return this.sendCall({ type: 'REVIVE', revive: roles ? { roles } : {} });
  }

  /** Stops offers; no roles means every role of the framework. */
  suppress(roles?: string[]): Promise<void> {
    return this.sendCall({ type: 'SUPPRESS', suppress: roles ? { roles } : {} });
  }

  kill(taskId: TaskID, agentId?: AgentID, killPolicy?: KillPolicy): Promise<void> {
    const kill = {
      task_id: taskId,
      ...(agentId && { agent_id: agentId }),
      ...(killPolicy && { kill_policy: killPolicy }),
    };
    return this.sendCall({ type: 'KILL', kill });
  }

  /** Acknowledges a status update; `uuid` must be the update's exact 16 bytes. */
  acknowledge(agentId: AgentID, taskId: TaskID, uuid: Uint8Array): Promise<void> {
    return this.sendCall({
      type: 'ACKNOWLEDGE',
      acknowledge: { agent_id: agentId, task_id: taskId, uuid },
    });
  }

  /** Explicit reconciliation of the given tasks; an empty list requests every known task. */
  reconcile(tasks: Array<{ task_id: TaskID; agent_id?: AgentID }>): Promise<void> {
    return this.sendCall({ type: 'RECONCILE', reconcile: { tasks } });
  }

  /** Removes the framework (Mesos kills all its tasks), then stops the client. */
  async teardown(): Promise<void> {
    await this.sendCall({ type: 'TEARDOWN' });
    await this.stop();
  }

  private async close(): Promise<void> {
    this.stopController.abort(this.stoppedError());
    await this.loop;
    await this.callSender.close();
  }

  private async sendCall(call: Omit<Call, 'framework_id'>): Promise<void> {
    if (this.stopController.signal.aborted) {
      throw this.stoppedError();
    }

    const session = this.session;
    const frameworkId = this.frameworkId;
    if (!session?.subscribed || frameworkId === undefined) {
      throw new SchedulerClientError(
        SchedulerErrorCode.notSubscribed,
        `Cannot send ${call.type}: not subscribed to a Mesos master`,
        {
          temporary: true,
        },
      );
    }

    try {
      await this.callSender.send(
        session.url,
        { framework_id: { value: frameworkId }, ...call },
        session.streamId,
      );
    } catch (error) {
      if (
        error instanceof SchedulerClientError &&
        error.code === SchedulerErrorCode.subscriptionGone
      ) {
        // The master no longer counts this framework as connected, so the stream is stale.
        session.controller.abort(error);
      }
      throw error;
    }
  }

  private async run(): Promise<void> {
    let delayMs = 0;
    while (!this.stopController.signal.aborted) {
      await sleep(delayMs, this.stopController.signal);
      if (this.stopController.signal.aborted) {
        break;
      }

      try {
        await this.subscribeOnce();
      } catch (error) {
        if (this.stopController.signal.aborted) {
          break;
        }

        const failure = asClientError(error);
        if (!failure.temporary) {
          this.fail(failure);
          break;
        }

        delayMs = this.backoff.next();
        this.recordDisconnect(failure, delayMs);
      }
    }
  }

  private fail(failure: Error): void {
    this.logger.error(
      { err: failure, frameworkId: this.frameworkId },
      'Mesos subscription failed permanently; the client stopped',
    );
    this.stopController.abort(failure);
    this.listeners.callWithoutWaiting('error', failure, (error) =>
      this.logListenerFailure('error', error),
    );
  }

  private recordDisconnect(failure: SchedulerClientError, delayMs: number): void {
    const from = failure.url ?? this.masters.current();
    if (ROTATING_CODES.has(failure.code)) {
      this.masters.advance();
    }

    this.logger.warn(
      {
        err: failure,
        code: failure.code,
        frameworkId: this.frameworkId,
        masterUrl: from,
        nextMasterUrl: this.masters.current(),
        delayMs,
      },
      'Mesos subscription lost; resubscribing',
    );
    this.listeners.callWithoutWaiting('disconnected', failure, (error) =>
      this.logListenerFailure('disconnected', error),
    );
  }

  /** Runs one SUBSCRIBE and reads its stream; always ends by throwing why it ended. */
  private async subscribeOnce(): Promise<void> {
    const controller = new AbortController();
    const onStop = () => controller.abort(this.stopController.signal.reason);
    this.stopController.signal.addEventListener('abort', onStop, { once: true });

    try {
      const body = encodeCall(this.subscribeCall(), this.contentType);
      const url = this.masters.current();
      this.logger.info(
        { masterUrl: url, frameworkId: this.frameworkId },
        'subscribing to Mesos master',
      );
      const stream = await openEventStream({
        url,
        body,
        headers: buildRequestHeaders(this.contentType, this.credentials),
        headersTimeoutMs: this.requestTimeoutMs,
        signal: controller.signal,
        onRedirect: (leaderUrl) => {
          this.logger.info(
            { masterUrl: leaderUrl },
            'following redirect to the leading Mesos master',
          );
          this.masters.setLeader(leaderUrl);
        },
      });
      await this.readStream(stream, controller);
    } finally {
      this.stopController.signal.removeEventListener('abort', onStop);
    }
  }

  private subscribeCall(): Call {
    const id = this.frameworkInfo.id;
    return {
      ...(id && { framework_id: id }),
      type: 'SUBSCRIBE',
      subscribe: { framework_info: this.frameworkInfo },
    };
  }

  private async readStream(stream: OpenStream, controller: AbortController): Promise<never> {
    const watchdog = new HeartbeatWatchdog(this.heartbeatMissFactor, (silenceMs) => {
      const message = `No event or heartbeat from ${stream.url} for ${silenceMs} ms`;
      controller.abort(
        new SchedulerClientError(SchedulerErrorCode.heartbeatTimeout, message, {
          temporary: true,
          url: stream.url,
        }),
      );
    });
    const session: Session = {
      url: stream.url,
      streamId: stream.streamId,
      contentType: stream.contentType,
      controller,
      watchdog,
      subscribed: false,
    };
    this.session = session;
    watchdog.arm(DEFAULT_HEARTBEAT_INTERVAL_SECONDS);

    try {
      await this.consumeRecords(stream, session);
    } catch (error) {
      throw controller.signal.aborted ? controller.signal.reason : streamFailure(error, stream.url);
    } finally {
      watchdog.stop();
      if (this.session === session) {
        this.session = undefined;
      }
      await stream.close();
    }

    if (controller.signal.aborted) {
      throw controller.signal.reason;
    }
    throw new SchedulerClientError(
      SchedulerErrorCode.streamEnded,
      `Mesos master ${stream.url} closed the event stream`,
      {
        temporary: true,
        url: stream.url,
      },
    );
  }

  private async consumeRecords(stream: OpenStream, session: Session): Promise<void> {
    const decoder = new RecordIoDecoder();
    for await (const chunk of stream.body) {
      session.watchdog.touch();
      for (const record of decoder.push(chunk as Uint8Array)) {
        await this.handleRecord(record, session);
      }
    }
  }

  private async handleRecord(record: Uint8Array, session: Session): Promise<void> {
    const event = decodeEvent(record, session.contentType);
    const type = event.type;
    if (type === 'HEARTBEAT') {
      this.lastHeartbeat = Date.now();
      return;
    }

    if (type === 'SUBSCRIBED') {
      await this.handleSubscribed(event, session);
      return;
    }

    if (typeof type !== 'string' || !DELIVERED_EVENT_TYPES.has(type)) {
      this.logUnknownEvent(type);
      return;
    }

    await this.deliver('event', event, session);
    if (type === 'ERROR') {
      throw errorEventFailure(event, session.url);
    }
  }

  private async handleSubscribed(event: Event, session: Session): Promise<void> {
    const subscribed = event.subscribed;
    if (!subscribed) {
      throw new SchedulerClientError(
        SchedulerErrorCode.streamMalformed,
        `SUBSCRIBED event from ${session.url} has no payload`,
        {
          temporary: true,
          url: session.url,
        },
      );
    }

    const frameworkId = subscribed.framework_id.value;
    const heartbeatIntervalSeconds =
      subscribed.heartbeat_interval_seconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
    this.frameworkInfo = { ...this.frameworkInfo, id: { value: frameworkId } };
    this.lastHeartbeat = Date.now();
    this.backoff.reset();
    this.masters.setLeader(session.url);
    session.subscribed = true;
    session.watchdog.arm(heartbeatIntervalSeconds);

    this.logger.info(
      { frameworkId, streamId: session.streamId, masterUrl: session.url, heartbeatIntervalSeconds },
      'subscribed to Mesos master',
    );
    const info = {
      frameworkId,
      streamId: session.streamId,
      heartbeatIntervalSeconds,
      masterUrl: session.url,
      ...(subscribed.master_info && { masterInfo: subscribed.master_info }),
    };
    await this.deliver('subscribed', info, session);
  }

  /** Awaits the listeners; the watchdog pauses meanwhile because the stream is not being read. */
  private async deliver<K extends 'event' | 'subscribed'>(
    name: K,
    argument: Parameters<SchedulerClientListeners[K]>[0],
    session: Session,
  ): Promise<void> {
    session.watchdog.pause();
    try {
      await this.listeners.callInOrder(name, argument, (error) =>
        this.logListenerFailure(name, error),
      );
    } finally {
      session.watchdog.resume();
    }
  }

  private logUnknownEvent(type: unknown): void {
    const key = String(type);
    const count = (this.unknownEventCounts.get(key) ?? 0) + 1;
    this.unknownEventCounts.set(key, count);
    const level = count === 1 || count % 100 === 0 ? 'warn' : 'debug';
    this.logger[level](
      { eventType: type, count, frameworkId: this.frameworkId },
      'skipping Mesos event of unknown type',
    );
  }

  private logListenerFailure(name: string, error: unknown): void {
    this.logger.error(
      { err: error, listener: name, frameworkId: this.frameworkId },
      'scheduler client listener failed',
    );
  }

  private stoppedError(): SchedulerClientError {
    return new SchedulerClientError(
      SchedulerErrorCode.clientStopped,
      'The Mesos scheduler client is stopped',
      { temporary: false },
    );
  }
}

function errorEventFailure(event: Event, url: string): SchedulerClientError {
  const message = event.error?.message ?? '';
  if (message.includes(FRAMEWORK_REMOVED_MESSAGE)) {
    return new SchedulerClientError(
      SchedulerErrorCode.frameworkRemoved,
      `Mesos master ${url} sent ERROR: ${message}`,
      {
        temporary: false,
        url,
      },
    );
  }
  return new SchedulerClientError(
    SchedulerErrorCode.errorEvent,
    `Mesos master ${url} sent ERROR: ${message}`,
    {
      temporary: true,
      url,
    },
  );
}

/** Classifies a failure while reading the stream. */
function streamFailure(error: unknown, url: string): SchedulerClientError {
  if (error instanceof SchedulerClientError) {
    return error;
  }

  if (error instanceof RecordIoError || error instanceof MesosDecodeError) {
    return new SchedulerClientError(
      SchedulerErrorCode.streamMalformed,
      `Malformed event stream from ${url}: ${error.message}`,
      {
        temporary: true,
        cause: error,
        url,
      },
    );
  }

  const reason = error instanceof Error ? error.message : String(error);
  return new SchedulerClientError(
    SchedulerErrorCode.streamEnded,
    `Event stream from ${url} failed: ${reason}`,
    {
      temporary: true,
      cause: error,
      url,
    },
  );
}

/** Typed errors keep their classification; anything else (e.g. an encode failure) is permanent. */
function asClientError(error: unknown): SchedulerClientError {
  if (error instanceof SchedulerClientError) {
    return error;
  }

  const reason = error instanceof Error ? error.message : String(error);
  const temporary = (error as { temporary?: unknown }).temporary === true;
  return new SchedulerClientError(SchedulerErrorCode.callRejected, `SUBSCRIBE failed: ${reason}`, {
    temporary,
    cause: error,
  });
}
