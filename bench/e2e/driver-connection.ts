import { Pool, request } from 'undici';
import {
  RecordIoDecoder,
  decodeEvent,
  encodeCall,
  type Call,
  type Event,
} from '../../shared/mesos/index.js';

const CONTENT_TYPE = 'application/x-protobuf';

/** A minimal v1 scheduler connection: one subscription stream and a pool for calls. */
export interface DriverConnection {
  frameworkId: string;
  /** Sends a call without waiting; a failed call counts in `failedCalls`. */
  send(call: Omit<Call, 'framework_id'>): void;
  failedCalls(): number;
  close(): Promise<void>;
}

/**
 * Subscribes as framework `name` and passes every event, from SUBSCRIBED on, to `onEvent`.
 * Calls go over a pool of 8 connections with pipelining, in protobuf, as the worker sends them.
 */
export async function connectDriver(
  emulatorUrl: string,
  name: string,
  onEvent: (connection: DriverConnection, event: Event) => void,
): Promise<DriverConnection> {
  const abort = new AbortController();
  const response = await request(`${emulatorUrl}/api/v1/scheduler`, {
    method: 'POST',
    headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE },
    body: encodeCall(
      { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name } } },
      CONTENT_TYPE,
    ),
    bodyTimeout: 0,
    signal: abort.signal,
  });
  if (response.statusCode !== 200) {
    throw new Error(`SUBSCRIBE to ${emulatorUrl} failed with HTTP ${response.statusCode}`);
  }

  const streamId = String(response.headers['mesos-stream-id']);
  const pool = new Pool(emulatorUrl, { connections: 8, pipelining: 16 });
  let failed = 0;
  const connection: DriverConnection = {
    frameworkId: '',
    send: (call) => {
      const body = encodeCall(
        { ...call, framework_id: { value: connection.frameworkId } } as Call,
        CONTENT_TYPE,
      );
      const headers = { 'content-type': CONTENT_TYPE, 'mesos-stream-id': streamId };
      pool
        .request({ path: '/api/v1/scheduler', method: 'POST', headers, body })
        .then((reply) => {
          failed += reply.statusCode === 202 ? 0 : 1;
          return reply.body.dump();
        })
        .catch(() => (failed += 1));
    },
    failedCalls: () => failed,
    close: async () => {
      abort.abort();
      await pool.destroy();
    },
  };

  await readEvents(response.body, connection, onEvent);
  return connection;
}

/** Reads the stream in the background and resolves once SUBSCRIBED has been handled. */
function readEvents(
  body: AsyncIterable<Uint8Array>,
  connection: DriverConnection,
  onEvent: (connection: DriverConnection, event: Event) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const decoder = new RecordIoDecoder();
    void (async () => {
      try {
        for await (const chunk of body) {
          for (const record of decoder.push(chunk)) {
            const event = decodeEvent(record, CONTENT_TYPE);
            if (event.type === 'SUBSCRIBED' && event.subscribed) {
              connection.frameworkId = event.subscribed.framework_id.value;
              resolve();
            }

            onEvent(connection, event);
          }
        }
        reject(new Error('the subscription stream ended before SUBSCRIBED'));
      } catch (error) {
        // Closing the connection aborts the stream, which ends the loop here.
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    })();
  });
}
