import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { SchedulerErrorCode } from '../../worker/mesos/index.js';
import { createClient, type ClientProbe } from './client-helpers.js';
import {
  accepted,
  acceptedType,
  openStream,
  startFakeMaster,
  subscribedEvent,
  writeEvents,
  type FakeMaster,
  type RequestHandler,
} from './fake-master.js';

const UUID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

/** More acknowledgements than the update lane has connections times pipelined requests. */
const HELD_ACKNOWLEDGEMENTS = 300;

const masters: FakeMaster[] = [];
const probes: ClientProbe[] = [];

afterEach(async () => {
  await Promise.all(probes.splice(0).map((probe) => probe.client.stop()));
  await Promise.all(masters.splice(0).map((master) => master.stop()));
});

/** Subscribes every SUBSCRIBE, passes other calls to `onCall`. */
async function fakeMaster(
  onCall: (type: string | undefined, response: ServerResponse) => void,
): Promise<FakeMaster> {
  const handler: RequestHandler = async (request, response) => {
    if (request.call?.type !== 'SUBSCRIBE') {
      onCall(request.call?.type, response);
      return;
    }

    const contentType = acceptedType(request);
    openStream(response, contentType, 'stream-1');
    await writeEvents(response, [subscribedEvent('fw-1')], contentType);
  };
  const master = await startFakeMaster(handler);
  masters.push(master);
  return master;
}

async function subscribedClient(master: FakeMaster, requestTimeoutMs?: number) {
  const probe = createClient(
    [master.url],
    'protobuf',
    requestTimeoutMs ? { requestTimeoutMs } : {},
  );
  probes.push(probe);
  probe.client.start();
  await probe.nextSubscribed();
  return probe.client;
}

describe('scheduler call lanes', () => {
  it('ACCEPT passes held acknowledgements', async () => {
    const held: ServerResponse[] = [];
    const master = await fakeMaster((type, response) => {
      if (type === 'ACKNOWLEDGE') {
        held.push(response);
      } else {
        accepted(response);
      }
    });
    const client = await subscribedClient(master);

    const acknowledgements = Array.from({ length: HELD_ACKNOWLEDGEMENTS }, (_, index) =>
      client.acknowledge({ value: 'agent-1' }, { value: `task-${index}` }, UUID),
    );
    await master.nextCall('ACKNOWLEDGE');

    await client.accept([{ value: 'offer-1' }], [], { refuse_seconds: 0 });
    await client.decline([{ value: 'offer-2' }]);
    const accept = await master.nextCall('ACCEPT');
    expect(accept.call?.accept?.offer_ids).toEqual([{ value: 'offer-1' }]);
    expect(held.length).toBeLessThan(HELD_ACKNOWLEDGEMENTS);

    const release = setInterval(() => held.splice(0).forEach(accepted), 5);
    try {
      await Promise.all(acknowledgements);
    } finally {
      clearInterval(release);
    }
    const sent = master.requests.filter((request) => request.call?.type === 'ACKNOWLEDGE');
    const taskIds = new Set(sent.map((request) => request.call?.acknowledge?.task_id.value));
    expect(taskIds.size).toBe(HELD_ACKNOWLEDGEMENTS);
  });

  it('unanswered call times out', async () => {
    const master = await fakeMaster((type, response) => {
      if (type !== 'KILL') {
        accepted(response);
      }
    });
    const client = await subscribedClient(master, 300);

    await expect(client.kill({ value: 'task-1' })).rejects.toMatchObject({
      code: SchedulerErrorCode.requestTimeout,
      temporary: true,
    });
  });
});
