import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  encodeRecord,
  type Event,
  type FrameworkInfo,
  type MesosContentType,
} from '../../shared/mesos/index.js';
import { SchedulerErrorCode, type SchedulerClientError } from '../../worker/mesos/index.js';
import { createClient, type ClientProbe, type WireEncoding } from './client-helpers.js';
import {
  accepted,
  acceptedType,
  openStream,
  startFakeMaster,
  subscribedEvent,
  writeEvents,
  writeInPieces,
  type FakeMaster,
  type RequestHandler,
} from './fake-master.js';

const MEDIA_TYPES: Record<WireEncoding, MesosContentType> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

const OFFERS_EVENT: Event = {
  type: 'OFFERS',
  offers: {
    offers: [
      {
        id: { value: 'master-1-O1' },
        framework_id: { value: 'fw-1' },
        agent_id: { value: 'master-1-S1' },
        hostname: 'agent-1',
        resources: [
          { name: 'cpus', type: 'SCALAR', scalar: { value: 4 } },
          {
            name: 'ports',
            type: 'RANGES',
            ranges: { range: [{ begin: '31000', end: '32000' }] },
          },
        ],
      },
    ],
  },
};

const UUID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

const UPDATE_EVENT: Event = {
  type: 'UPDATE',
  update: {
    status: {
      task_id: { value: 'task-1' },
      state: 'TASK_RUNNING',
      agent_id: { value: 'master-1-S1' },
      source: 'SOURCE_EXECUTOR',
      uuid: UUID,
    },
  },
};

const masters: FakeMaster[] = [];
const probes: ClientProbe[] = [];

afterEach(async () => {
  await Promise.all(probes.splice(0).map((probe) => probe.client.stop()));
  await Promise.all(masters.splice(0).map((master) => master.stop()));
});

async function fakeMaster(handler: RequestHandler): Promise<FakeMaster> {
  const master = await startFakeMaster(handler);
  masters.push(master);
  return master;
}

function client(urls: string[], encoding: WireEncoding, extra = {}): ClientProbe {
  const probe = createClient(urls, encoding, extra);
  probes.push(probe);
  probe.client.start();
  return probe;
}

/** Returns a handler that accepts every SUBSCRIBE, streams `events` after SUBSCRIBED and 202s calls. */
function streamingHandler(events: Event[], pieceBytes = 7): RequestHandler {
  let subscriptions = 0;
  return async (request, response) => {
    if (request.call?.type !== 'SUBSCRIBE') {
      accepted(response);
      return;
    }

    subscriptions += 1;
    const contentType = acceptedType(request);
    openStream(response, contentType, `stream-${subscriptions}`);
    const frameworkId = request.call.framework_id?.value ?? 'fw-1';
    await writeEvents(
      response,
      [subscribedEvent(frameworkId), { type: 'HEARTBEAT' }, ...events],
      contentType,
      pieceBytes,
    );
  };
}

describe.each(['protobuf', 'json'] as const)('scheduler client (%s)', (encoding) => {
  const mediaType = MEDIA_TYPES[encoding];

  it('subscribes and delivers split records', async () => {
    const master = await fakeMaster(streamingHandler([OFFERS_EVENT, UPDATE_EVENT], 3));
    const probe = client([`127.0.0.1:${master.port}`], encoding);

    const info = await probe.nextSubscribed();
    expect(info.frameworkId).toBe('fw-1');
    expect(info.streamId).toBe('stream-1');
    expect(info.masterUrl).toBe(`${master.url}/api/v1/scheduler`);
    expect(info.heartbeatIntervalSeconds).toBe(15);
    expect(info.masterInfo?.id).toBe('master-1');

    const offers = await probe.nextEvent();
    expect(offers.type).toBe('OFFERS');
    expect(offers.offers?.offers?.[0]?.resources?.[1]?.ranges?.range).toEqual([
      { begin: '31000', end: '32000' },
    ]);
    const update = await probe.nextEvent();
    expect(update.type).toBe('UPDATE');
    expect(Buffer.from(update.update?.status.uuid ?? [])).toEqual(UUID);
    expect(probe.client.connected).toBe(true);
    expect(probe.client.lastHeartbeatAt).toBeTypeOf('number');
  });

  it('subscribe headers are exact', async () => {
    const master = await fakeMaster(streamingHandler([]));
    const probe = client([master.url], encoding, {
      credentials: { principal: 'launcher', secret: 's3cret' },
    });
    await probe.nextSubscribed();

    const subscribe = await master.nextCall('SUBSCRIBE');
    expect(subscribe.method).toBe('POST');
    expect(subscribe.path).toBe('/api/v1/scheduler');
    expect(subscribe.headers['content-type']).toBe(mediaType);
    expect(subscribe.headers.accept).toBe(mediaType);
    expect(subscribe.headers['mesos-stream-id']).toBeUndefined();
    expect(subscribe.headers.authorization).toBe(
      `Basic ${Buffer.from('launcher:s3cret').toString('base64')}`,
    );
    expect(subscribe.call?.subscribe?.framework_info.name).toBe('mesos-launch-test');
  });

  it('calls carry stream id and uuid', async () => {
    const master = await fakeMaster(streamingHandler([]));
    const probe = client([master.url], encoding);
    await probe.nextSubscribed();

    await probe.client.acknowledge({ value: 'master-1-S1' }, { value: 'task-1' }, UUID);
    const ack = await master.nextCall('ACKNOWLEDGE');
    expect(ack.headers['mesos-stream-id']).toBe('stream-1');
    expect(ack.headers['content-type']).toBe(mediaType);
    expect(ack.call?.framework_id).toEqual({ value: 'fw-1' });
    expect(Buffer.from(ack.call?.acknowledge?.uuid ?? [])).toEqual(UUID);
    expect(ack.call?.acknowledge?.task_id).toEqual({ value: 'task-1' });
    expect(ack.call?.acknowledge?.agent_id).toEqual({ value: 'master-1-S1' });

    await probe.client.decline([{ value: 'master-1-O1' }], { refuse_seconds: 30 });
    const decline = await master.nextCall('DECLINE');
    expect(decline.headers['mesos-stream-id']).toBe('stream-1');
    expect(decline.call?.decline?.offer_ids).toEqual([{ value: 'master-1-O1' }]);
    expect(decline.call?.decline?.filters?.refuse_seconds).toBe(30);
  });

  it('follows a scheme-less 307 to the leader', async () => {
    const leader = await fakeMaster(streamingHandler([]));
    const follower = await fakeMaster((_request, response) => {
      response.writeHead(307, { location: `//127.0.0.1:${leader.port}/master/api/v1/scheduler` });
      response.end();
    });
    const probe = client([follower.url], encoding);

    const info = await probe.nextSubscribed();
    expect(info.masterUrl).toBe(`${leader.url}/master/api/v1/scheduler`);
    const subscribe = await leader.nextCall('SUBSCRIBE');
    expect(subscribe.path).toBe('/master/api/v1/scheduler');

    await probe.client.revive();
    const revive = await leader.nextCall('REVIVE');
    expect(revive.path).toBe('/master/api/v1/scheduler');
    expect(revive.headers['mesos-stream-id']).toBe('stream-1');
    expect(follower.requests.map((request) => request.call?.type)).toEqual(['SUBSCRIBE']);
  });

  it('keeps the path for a 307 without one', async () => {
    const leader = await fakeMaster(streamingHandler([]));
    const follower = await fakeMaster((_request, response) => {
      response.writeHead(307, { location: `//127.0.0.1:${leader.port}` });
      response.end();
    });
    const probe = client([follower.url], encoding);

    const info = await probe.nextSubscribed();
    expect(info.masterUrl).toBe(`${leader.url}/api/v1/scheduler`);
  });

  it('moves to the next master on 503', async () => {
    const unavailable = await fakeMaster((_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('No leader elected');
    });
    const healthy = await fakeMaster(streamingHandler([]));
    const probe = client([unavailable.url, healthy.url], encoding);

    const disconnect = (await probe.nextDisconnect()) as SchedulerClientError;
    expect(disconnect.code).toBe(SchedulerErrorCode.unavailable);
    expect(disconnect.temporary).toBe(true);
    expect(disconnect.status).toBe(503);
    const info = await probe.nextSubscribed();
    expect(info.masterUrl).toBe(`${healthy.url}/api/v1/scheduler`);
    expect(unavailable.requests).toHaveLength(1);
  });

  it('moves to the next master on refused connection', async () => {
    const gone = await fakeMaster(streamingHandler([]));
    const goneUrl = gone.url;
    await gone.stop();
    masters.splice(masters.indexOf(gone), 1);
    const healthy = await fakeMaster(streamingHandler([]));
    const probe = client([goneUrl, healthy.url], encoding);

    const disconnect = (await probe.nextDisconnect()) as SchedulerClientError;
    expect(disconnect.code).toBe(SchedulerErrorCode.connectionFailed);
    const info = await probe.nextSubscribed();
    expect(info.masterUrl).toBe(`${healthy.url}/api/v1/scheduler`);
  });

  it('resubscribes after heartbeat silence', async () => {
    let subscriptions = 0;
    const master = await fakeMaster(async (request, response) => {
      subscriptions += 1;
      const contentType = acceptedType(request);
      openStream(response, contentType, `stream-${subscriptions}`);
      // 20 ms heartbeats that never come; the stream stays open and silent.
      await writeEvents(response, [subscribedEvent('fw-silent', 0.02)], contentType);
    });
    const probe = client([master.url], encoding, { heartbeatMissFactor: 2 });

    const first = await probe.nextSubscribed();
    expect(first.frameworkId).toBe('fw-silent');
    const disconnect = (await probe.nextDisconnect()) as SchedulerClientError;
    expect(disconnect.code).toBe(SchedulerErrorCode.heartbeatTimeout);

    const second = await probe.nextSubscribed();
    expect(second.streamId).toBe('stream-2');
    await master.nextCall('SUBSCRIBE');
    const resubscribe = await master.nextCall('SUBSCRIBE');
    expect(resubscribe.call?.framework_id).toEqual({ value: 'fw-silent' });
    expect(resubscribe.call?.subscribe?.framework_info.id).toEqual({ value: 'fw-silent' });
    expect(probe.client.frameworkId).toBe('fw-silent');
  });

  it('resubscribes after a malformed record', async () => {
    let subscriptions = 0;
    const master = await fakeMaster(async (request, response) => {
      subscriptions += 1;
      const contentType = acceptedType(request);
      openStream(response, contentType, `stream-${subscriptions}`);
      await writeEvents(response, [subscribedEvent('fw-1')], contentType);
      if (subscriptions === 1) {
        await writeInPieces(response, Buffer.from('12x\n{}'), 2);
      }
    });
    const probe = client([master.url], encoding);

    await probe.nextSubscribed();
    const disconnect = (await probe.nextDisconnect()) as SchedulerClientError;
    expect(disconnect.code).toBe(SchedulerErrorCode.streamMalformed);
    expect(disconnect.message).toMatch(/RecordIO/);
    const second = await probe.nextSubscribed();
    expect(second.streamId).toBe('stream-2');
  });

  it('resubscribes after the stream ends', async () => {
    let subscriptions = 0;
    const master = await fakeMaster(async (request, response) => {
      subscriptions += 1;
      const contentType = acceptedType(request);
      openStream(response, contentType, `stream-${subscriptions}`);
      await writeEvents(response, [subscribedEvent('fw-1')], contentType);
      if (subscriptions === 1) {
        response.end();
      }
    });
    const probe = client([master.url], encoding);

    await probe.nextSubscribed();
    const disconnect = (await probe.nextDisconnect()) as SchedulerClientError;
    expect(disconnect.code).toBe(SchedulerErrorCode.streamEnded);
    expect((await probe.nextSubscribed()).streamId).toBe('stream-2');
  });

  it('stops on framework removed', async () => {
    const master = await fakeMaster(async (request, response) => {
      const contentType = acceptedType(request);
      openStream(response, contentType, 'stream-1');
      await writeEvents(
        response,
        [{ type: 'ERROR', error: { message: 'Framework has been removed' } }],
        contentType,
      );
      response.end();
    });
    const probe = client([master.url], encoding);

    const errorEvent = await probe.nextEvent();
    expect(errorEvent.error?.message).toBe('Framework has been removed');
    const error = (await probe.nextError()) as SchedulerClientError;
    expect(error.code).toBe(SchedulerErrorCode.frameworkRemoved);
    expect(error.temporary).toBe(false);
    expect(master.requests).toHaveLength(1);
    await expect(probe.client.revive()).rejects.toMatchObject({
      code: SchedulerErrorCode.clientStopped,
    });
  });

  it('resubscribes after an ERROR event', async () => {
    let subscriptions = 0;
    const master = await fakeMaster(async (request, response) => {
      subscriptions += 1;
      const contentType = acceptedType(request);
      openStream(response, contentType, `stream-${subscriptions}`);
      const events: Event[] = [subscribedEvent('fw-1')];
      if (subscriptions === 1) {
        events.push({ type: 'ERROR', error: { message: 'Framework failed over' } });
      }
      await writeEvents(response, events, contentType);
    });
    const probe = client([master.url], encoding);

    await probe.nextSubscribed();
    expect((await probe.nextEvent()).type).toBe('ERROR');
    const disconnect = (await probe.nextDisconnect()) as SchedulerClientError;
    expect(disconnect.code).toBe(SchedulerErrorCode.errorEvent);
    expect((await probe.nextSubscribed()).streamId).toBe('stream-2');
  });

  it('skips unknown event types', async () => {
    const master = await fakeMaster(async (request, response) => {
      const contentType = acceptedType(request);
      openStream(response, contentType, 'stream-1');
      await writeEvents(response, [subscribedEvent('fw-1')], contentType);
      await writeInPieces(response, Buffer.from(encodeRecord(unknownEventBody(contentType))), 1);
      await writeEvents(response, [OFFERS_EVENT], contentType);
    });
    const probe = client([master.url], encoding);

    await probe.nextSubscribed();
    expect((await probe.nextEvent()).type).toBe('OFFERS');
    expect(probe.client.connected).toBe(true);
  });

  it('rejects calls before subscribing', async () => {
    const master = await fakeMaster(() => {
      // Never responds, so the client never subscribes.
    });
    const probe = client([master.url], encoding);

    await expect(probe.client.reconcile([])).rejects.toMatchObject({
      code: SchedulerErrorCode.notSubscribed,
      temporary: true,
    });
  });

  it('types a rejected call as permanent', async () => {
    const master = await fakeMaster(async (request, response) => {
      if (request.call?.type === 'KILL') {
        response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        response.end("Failed to validate scheduler::Call: Expecting 'kill' to be present");
        return;
      }
      await streamingHandler([])(request, response, master);
    });
    const probe = client([master.url], encoding);
    await probe.nextSubscribed();

    const failure = probe.client.kill({ value: 'task-1' }, { value: 'master-1-S1' });
    await expect(failure).rejects.toMatchObject({
      code: SchedulerErrorCode.callRejected,
      temporary: false,
      status: 400,
    });
    await expect(failure).rejects.toThrow(/Failed to validate/);
  });

  it('invalid framework info is permanent', async () => {
    const master = await fakeMaster(streamingHandler([]));
    const probe = client([master.url], encoding, {
      frameworkInfo: { name: 'no-user' } as unknown as FrameworkInfo,
    });

    const error = (await probe.nextError()) as SchedulerClientError;
    expect(error.code).toBe(SchedulerErrorCode.callRejected);
    expect(error.temporary).toBe(false);
    expect(error.message).toMatch(/subscribe\.framework_info\.user: missing required field/);
    expect(master.requests).toHaveLength(0);
  });

  it('stop closes the stream', async () => {
    let closed = false;
    const master = await fakeMaster(async (request, response) => {
      response.on('close', () => {
        closed = true;
      });
      await streamingHandler([])(request, response, master);
    });
    const probe = client([master.url], encoding);
    await probe.nextSubscribed();

    await probe.client.stop();
    expect(probe.client.connected).toBe(false);
    await vi.waitFor(() => expect(closed).toBe(true));
    await expect(probe.client.suppress()).rejects.toMatchObject({
      code: SchedulerErrorCode.clientStopped,
    });
  });
});

/** Encodes an event of a type this schema does not list, as a newer master could send it. */
function unknownEventBody(contentType: MesosContentType): Uint8Array {
  if (contentType === 'application/json') {
    return Buffer.from('{"type":"SOMETHING_NEW","something_new":{"value":1}}');
  }
  // Field 1 (type), varint 42, and an unknown field 42 holding a string.
  return Buffer.from([0x08, 42, 0xd2, 0x02, 0x01, 0x78]);
}
