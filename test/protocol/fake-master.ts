import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  decodeCall,
  encodeEvent,
  encodeRecord,
  isMesosContentType,
  type Call,
  type Event,
  type MesosContentType,
} from '../../shared/mesos/index.js';

/** One request as the fake master received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The decoded call, when the body was one. */
  call: Call | undefined;
}

export type RequestHandler = (
  request: ReceivedRequest,
  response: ServerResponse,
  master: FakeMaster,
) => void | Promise<void>;

/** A scripted HTTP server on 127.0.0.1 that speaks just enough of the scheduler API for a test. */
export interface FakeMaster {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /**
   * Resolves with the n-th call of `type`, where n counts the earlier `nextCall` results of that
   * type: the first invocation returns the first such call, even if it arrived already.
   */
  nextCall(type: string): Promise<ReceivedRequest>;
  stop(): Promise<void>;
}

export async function startFakeMaster(handler: RequestHandler): Promise<FakeMaster> {
  const requests: ReceivedRequest[] = [];
  const returned = new Map<string, number>();
  const waiters: Array<{
    type: string;
    index: number;
    resolve: (request: ReceivedRequest) => void;
  }> = [];
  const sockets = new Set<Socket>();

  const master = {} as FakeMaster;
  const server: Server = createServer((req, res) => {
    void receive(req).then(async (request) => {
      requests.push(request);
      notifyWaiters();
      await handler(request, res, master);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function callsOfType(type: string): ReceivedRequest[] {
    return requests.filter((request) => request.call?.type === type);
  }

  function notifyWaiters(): void {
    for (const waiter of [...waiters]) {
      const found = callsOfType(waiter.type)[waiter.index];
      if (found) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(found);
      }
    }
  }

  function nextCall(type: string): Promise<ReceivedRequest> {
    const index = returned.get(type) ?? 0;
    returned.set(type, index + 1);
    return new Promise((resolve) => {
      waiters.push({ type, index, resolve });
      notifyWaiters();
    });
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  Object.assign(master, {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    nextCall,
    stop: async () => {
      for (const socket of sockets) {
        socket.destroy();
      }
      server.close();
      await once(server, 'close');
    },
  });
  return master;
}

async function receive(req: IncomingMessage): Promise<ReceivedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }

  const body = Buffer.concat(chunks);
  const contentType = req.headers['content-type'];
  let call: Call | undefined;
  if (isMesosContentType(contentType) && body.length > 0) {
    call = decodeCall(body, contentType);
  }
  return { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, call };
}

/** Returns the media type a SUBSCRIBE requested in `Accept`. */
export function acceptedType(request: ReceivedRequest): MesosContentType {
  const accept = request.headers.accept;
  return accept === 'application/json' ? 'application/json' : 'application/x-protobuf';
}

/** Starts a SUBSCRIBE response: 200, the stream id and the negotiated Content-Type. */
export function openStream(
  response: ServerResponse,
  contentType: MesosContentType,
  streamId: string,
): void {
  response.writeHead(200, { 'content-type': contentType, 'mesos-stream-id': streamId });
  response.flushHeaders();
}

/**
 * Writes events as RecordIO records in pieces of `pieceBytes`, yielding to the event loop after
 * each piece so that records and even length headers arrive split across chunks.
 */
export async function writeEvents(
  response: ServerResponse,
  events: Event[],
  contentType: MesosContentType,
  pieceBytes = Number.POSITIVE_INFINITY,
): Promise<void> {
  const bytes = Buffer.concat(events.map((event) => encodeRecord(encodeEvent(event, contentType))));
  await writeInPieces(response, bytes, pieceBytes);
}

export async function writeInPieces(
  response: ServerResponse,
  bytes: Buffer,
  pieceBytes: number,
): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += pieceBytes) {
    response.write(bytes.subarray(offset, Math.min(bytes.length, offset + pieceBytes)));
    await nextTurn();
  }
}

export function subscribedEvent(frameworkId: string, heartbeatIntervalSeconds = 15): Event {
  return {
    type: 'SUBSCRIBED',
    subscribed: {
      framework_id: { value: frameworkId },
      heartbeat_interval_seconds: heartbeatIntervalSeconds,
      master_info: { id: 'master-1', ip: 16777343, port: 5050, hostname: '127.0.0.1' },
    },
  };
}

/** Responds to a non-SUBSCRIBE call with 202 and an empty body. */
export function accepted(response: ServerResponse): void {
  response.writeHead(202);
  response.end();
}
