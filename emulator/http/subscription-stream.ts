import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { encodeEvent, encodeRecord, type MesosContentType } from '../../shared/mesos/index.js';
import type { MasterContext } from '../master/context.js';
import type { EventSink } from '../master/model.js';
import type { TimerHandle } from '../master/timers.js';
import type { Event } from '../mesos-types.js';

/**
 * One SUBSCRIBE response: HTTP 200 with `Mesos-Stream-Id`, `Content-Type` set to the
 * negotiated type (not recordio), and RecordIO-framed events in a chunked body. Writes made
 * in one turn of the event loop go out together.
 */
export class SubscriptionStream implements EventSink {
  readonly streamId = randomUUID();
  private isClosed = false;
  private heartbeat: TimerHandle | undefined;
  private corked = false;
  private readonly closeListeners: Array<(stream: SubscriptionStream) => void> = [];

  constructor(
    private readonly ctx: MasterContext,
    private readonly response: ServerResponse,
    readonly contentType: MesosContentType,
  ) {
    response.on('close', () => this.markClosed());
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Sends the 200 head at once, as Mesos does before it validates FrameworkInfo. */
  open(): void {
    this.response.writeHead(200, {
      'Content-Type': this.contentType,
      'Mesos-Stream-Id': this.streamId,
    });
    this.response.flushHeaders();
  }

  onClose(listener: (stream: SubscriptionStream) => void): void {
    this.closeListeners.push(listener);
  }

  send(event: Event): void {
    if (this.isClosed || this.response.writableEnded || this.response.destroyed) {
      return;
    }

    let record: Uint8Array;
    try {
      record = encodeRecord(encodeEvent(event, this.contentType));
    } catch (error) {
      this.ctx.logger.error(
        { err: error, streamId: this.streamId, type: event.type },
        'failed to encode event',
      );
      return;
    }

    if (!this.corked) {
      this.corked = true;
      this.response.cork();
      // setImmediate runs after every I/O callback of this loop turn, so events caused by
      // several requests (ACKs, for instance) leave in one write.
      setImmediate(() => {
        this.corked = false;
        this.response.uncork();
      });
    }
    this.response.write(record);
  }

  startHeartbeats(): void {
    this.send({ type: 'HEARTBEAT' });
    this.heartbeat?.cancel();
    this.heartbeat = this.ctx.timers.setInterval(() => {
      if (!this.ctx.faults.heartbeatsPaused) {
        this.send({ type: 'HEARTBEAT' });
      }
    }, this.ctx.options.heartbeatIntervalSeconds * 1000);
  }

  /** Ends the response cleanly, so the scheduler reads the end of the stream. */
  close(): void {
    if (!this.response.writableEnded) {
      this.response.end();
    }
    this.markClosed();
  }

  /** Breaks the connection without a clean end, as a network failure would. */
  drop(): void {
    this.response.destroy();
    this.markClosed();
  }

  private markClosed(): void {
    if (this.isClosed) {
      return;
    }
    this.isClosed = true;
    this.heartbeat?.cancel();
    this.heartbeat = undefined;
    for (const listener of this.closeListeners) {
      listener(this);
    }
  }
}
