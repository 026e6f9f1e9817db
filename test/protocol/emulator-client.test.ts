import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { Event, Offer, TaskInfo, TaskStatus } from '../../shared/mesos/index.js';
import { createClient, type ClientProbe } from './client-helpers.js';

let emulator: Emulator | undefined;
let probe: ClientProbe | undefined;

afterEach(async () => {
  await probe?.client.stop();
  await emulator?.stop();
  probe = undefined;
  emulator = undefined;
});

async function nextOfType(next: () => Promise<Event>, type: string): Promise<Event> {
  for (;;) {
    const event = await next();
    if (event.type === type) {
      return event;
    }
  }
}

async function nextUpdate(next: () => Promise<Event>): Promise<TaskStatus> {
  const event = await nextOfType(next, 'UPDATE');
  return (event.update as { status: TaskStatus }).status;
}

function dockerTask(offer: Offer): TaskInfo {
  return {
    name: 'web',
    task_id: { value: `task-${offer.id.value}` },
    agent_id: offer.agent_id,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, role: '*' },
      { name: 'mem', type: 'SCALAR', scalar: { value: 32 }, role: '*' },
      {
        name: 'ports',
        type: 'RANGES',
        ranges: { range: [{ begin: '31000', end: '31000' }] },
        role: '*',
      },
    ],
    command: { shell: true, value: 'sleep 3600' },
    container: {
      type: 'DOCKER',
      docker: {
        image: 'busybox:1.36',
        network: 'BRIDGE',
        port_mappings: [{ host_port: 31000, container_port: 8080, protocol: 'tcp' }],
      },
    },
  };
}

describe.each(['protobuf', 'json'] as const)('client against the emulator (%s)', (encoding) => {
  it('launches and acknowledges a task', async () => {
    emulator = await startEmulator({ agents: 1, logger: pino({ level: 'silent' }) });
    probe = createClient([emulator.url], encoding);
    probe.client.start();

    const subscribed = await probe.nextSubscribed();
    expect(subscribed.frameworkId).toMatch(/-0000$/);
    expect(subscribed.masterInfo?.id).toBe(emulator.masterId);

    const offers = await nextOfType(probe.nextEvent, 'OFFERS');
    const offer = offers.offers?.offers?.[0] as Offer;
    expect(offer.framework_id.value).toBe(subscribed.frameworkId);
    await probe.client.accept(
      [offer.id],
      [{ type: 'LAUNCH', launch: { task_infos: [dockerTask(offer)] } }],
      {
        refuse_seconds: 1,
      },
    );

    const starting = await nextUpdate(probe.nextEvent);
    expect(starting.state).toBe('TASK_STARTING');
    expect(starting.uuid).toHaveLength(16);
    await probe.client.acknowledge(
      starting.agent_id ?? offer.agent_id,
      starting.task_id,
      starting.uuid as Uint8Array,
    );

    const running = await nextUpdate(probe.nextEvent);
    expect(running.state).toBe('TASK_RUNNING');
    expect(running.container_status?.network_infos?.[0]?.ip_addresses?.[0]?.ip_address).toBeTypeOf(
      'string',
    );
  });
});
