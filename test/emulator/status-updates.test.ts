import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../emulator/index.js';
import type { MesosContentType, Offer } from '../../shared/mesos/index.js';
import { BOTH_ENCODINGS, eventually, startTestEmulator } from './support/emulator.js';
import { TestScheduler, testDispatcher } from './support/scheduler-driver.js';
import { dockerTask, launch, nextOffers } from './support/tasks.js';

let emulator: Emulator | undefined;
const schedulers: TestScheduler[] = [];

async function setUp(
  contentType: MesosContentType,
  options: EmulatorOptions = {},
): Promise<{ target: Emulator; scheduler: TestScheduler; offer: Offer }> {
  const target = await startTestEmulator({ agents: 1, ...options });
  emulator = target;
  const scheduler = await TestScheduler.subscribe(target.schedulerUrl, { contentType });
  schedulers.push(scheduler);
  const [offer] = await nextOffers(scheduler);
  return { target, scheduler, offer: offer! };
}

afterEach(async () => {
  schedulers.splice(0).forEach((scheduler) => scheduler.close());
  await emulator?.stop();
  emulator = undefined;
});

afterAll(async () => {
  await testDispatcher.close();
});

function uuidVersion(uuid: Uint8Array): number {
  return (uuid[6]! & 0xf0) >> 4;
}

describe.each(BOTH_ENCODINGS)('status update manager in %s', (contentType) => {
  it('gives every agent update its own uuid', async () => {
    const { scheduler, offer } = await setUp(contentType);

    await launch(scheduler, [offer], [dockerTask(offer, 't')]);
    const starting = await scheduler.nextUpdate('t', 'TASK_STARTING');
    await scheduler.acknowledge(starting);
    const running = await scheduler.nextUpdate('t', 'TASK_RUNNING');

    expect(starting.uuid).toHaveLength(16);
    expect(running.uuid).toHaveLength(16);
    expect(uuidVersion(starting.uuid!)).toBe(4);
    expect(Buffer.from(running.uuid!)).not.toEqual(Buffer.from(starting.uuid!));
    expect(typeof starting.timestamp).toBe('number');
  });

  it('holds the next update until the previous one is acknowledged', async () => {
    const { target, scheduler, offer } = await setUp(contentType, { statusUpdateRetryMs: 30 });

    await launch(scheduler, [offer], [dockerTask(offer, 't')]);
    const starting = await scheduler.nextUpdate('t', 'TASK_STARTING');
    await eventually(() => target.control.tasks()[0]?.state === 'TASK_RUNNING');
    const seenBeforeAck = scheduler.events.filter(
      (event) => event.update?.status.state === 'TASK_RUNNING',
    );
    const taskBeforeAck = target.control.tasks()[0];
    await scheduler.acknowledge(starting);
    const running = await scheduler.nextUpdate('t', 'TASK_RUNNING');

    expect(seenBeforeAck).toEqual([]);
    expect(taskBeforeAck?.statusUpdateState).toBe('TASK_STARTING');
    expect(running.state).toBe('TASK_RUNNING');
  });

  it('resends an unacknowledged update with the same uuid', async () => {
    const { scheduler, offer } = await setUp(contentType, { statusUpdateRetryMs: 20 });

    await launch(scheduler, [offer], [dockerTask(offer, 't')]);
    const first = await scheduler.nextUpdate('t', 'TASK_STARTING');
    const second = await scheduler.nextUpdate('t', 'TASK_STARTING');
    const third = await scheduler.nextUpdate('t', 'TASK_STARTING');

    expect(Buffer.from(second.uuid!)).toEqual(Buffer.from(first.uuid!));
    expect(Buffer.from(third.uuid!)).toEqual(Buffer.from(first.uuid!));
  });

  it.each([
    ['15 bytes', Buffer.alloc(15, 1)],
    ['17 bytes', Buffer.alloc(17, 1)],
    ['version nibble 0', Buffer.from('0123456789ab0def0123456789abcdef', 'hex')],
    ['no bytes', Buffer.alloc(0)],
  ])('answers 400 to an ACK uuid of %s', async (_name, uuid) => {
    const { scheduler, offer } = await setUp(contentType);
    await launch(scheduler, [offer], [dockerTask(offer, 't')]);
    const starting = await scheduler.nextUpdate('t', 'TASK_STARTING');

    const reply = await scheduler.call({
      type: 'ACKNOWLEDGE',
      acknowledge: { agent_id: starting.agent_id!, task_id: starting.task_id, uuid },
    });

    expect(reply.status).toBe(400);
    expect(reply.text).toBe('Failed to validate scheduler::Call: Not a valid UUID');
  });

  it('accepts an ACK of an unknown uuid and changes nothing', async () => {
    const { target, scheduler, offer } = await setUp(contentType, { statusUpdateRetryMs: 30 });
    await launch(scheduler, [offer], [dockerTask(offer, 't')]);
    const starting = await scheduler.nextUpdate('t', 'TASK_STARTING');
    await eventually(() => target.control.tasks()[0]?.state === 'TASK_RUNNING');

    const reply = await scheduler.call({
      type: 'ACKNOWLEDGE',
      acknowledge: {
        agent_id: starting.agent_id!,
        task_id: starting.task_id,
        uuid: Buffer.from('a3bb189e8bf94888b9e0e5c4f1c2d3e4', 'hex'),
      },
    });
    const resent = await scheduler.nextUpdate('t');
    await scheduler.acknowledge(starting);
    const running = await scheduler.nextUpdate('t', 'TASK_RUNNING');

    expect(reply.status).toBe(202);
    expect(reply.text).toBe('');
    expect(resent.state).toBe('TASK_STARTING');
    expect(running.state).toBe('TASK_RUNNING');
  });

  it('accepts an ACK for an unknown agent', async () => {
    const { scheduler, offer } = await setUp(contentType);
    await launch(scheduler, [offer], [dockerTask(offer, 't')]);
    const starting = await scheduler.nextUpdate('t', 'TASK_STARTING');

    const reply = await scheduler.call({
      type: 'ACKNOWLEDGE',
      acknowledge: {
        agent_id: { value: 'no-such-agent' },
        task_id: starting.task_id,
        uuid: starting.uuid!,
      },
    });

    expect(reply.status).toBe(202);
  });

  it('frees resources at the terminal state and the id at its ACK', async () => {
    const { target, scheduler, offer } = await setUp(contentType);
    await launch(scheduler, [offer], [dockerTask(offer, 't')], { refuse_seconds: 0 });
    await scheduler.acknowledge(await scheduler.nextUpdate('t', 'TASK_STARTING'));
    await scheduler.acknowledge(await scheduler.nextUpdate('t', 'TASK_RUNNING'));

    target.control.finishTask('t');
    const finished = await scheduler.nextUpdate('t', 'TASK_FINISHED');
    const agentBeforeAck = target.control.agents()[0]!;
    target.control.allocate();
    const [offerBeforeAck] = await nextOffers(scheduler);
    await launch(scheduler, [offerBeforeAck!], [dockerTask(offerBeforeAck!, 't')], {
      refuse_seconds: 0,
    });
    const duplicate = await scheduler.nextUpdate('t', 'TASK_ERROR');
    await scheduler.acknowledge(finished);
    target.control.allocate();
    const [offerAfterAck] = await nextOffers(scheduler);
    await launch(scheduler, [offerAfterAck!], [dockerTask(offerAfterAck!, 't')]);
    const reused = await scheduler.nextUpdate('t', 'TASK_STARTING');

    expect(finished.message).toBe('Container exited with status 0');
    expect(finished.source).toBe('SOURCE_EXECUTOR');
    expect(
      agentBeforeAck.available.find((resource) => resource.name === 'cpus')?.scalar?.value,
    ).toBe(4);
    expect(duplicate.message).toBe('Task has duplicate ID: t');
    expect(reused.state).toBe('TASK_STARTING');
  });

  it('reports a failed task with its exit status', async () => {
    const { target, scheduler, offer } = await setUp(contentType);
    await launch(scheduler, [offer], [dockerTask(offer, 't')]);
    await scheduler.acknowledge(await scheduler.nextUpdate('t', 'TASK_STARTING'));
    await scheduler.acknowledge(await scheduler.nextUpdate('t', 'TASK_RUNNING'));

    target.control.failTask('t', { exitCode: 3 });
    const failed = await scheduler.nextUpdate('t', 'TASK_FAILED');

    expect(failed.message).toBe('Container exited with status 3');
    expect(failed.reason).toBeUndefined();
  });

  it('duplicates updates with the same uuid when told to', async () => {
    const { target, scheduler, offer } = await setUp(contentType);
    target.control.duplicateUpdates(true);

    await launch(scheduler, [offer], [dockerTask(offer, 't')]);
    const first = await scheduler.nextUpdate('t', 'TASK_STARTING');
    const second = await scheduler.nextUpdate('t', 'TASK_STARTING');

    expect(Buffer.from(second.uuid!)).toEqual(Buffer.from(first.uuid!));
  });

  it('delays updates when told to', async () => {
    const { target, scheduler, offer } = await setUp(contentType);
    target.control.delayUpdates(300);

    await launch(scheduler, [offer], [dockerTask(offer, 't')]);
    const stateRightAfterAccept = target.control.tasks()[0]?.state;
    const starting = await scheduler.nextUpdate('t', 'TASK_STARTING');

    expect(stateRightAfterAccept).toBe('TASK_STAGING');
    expect(starting.state).toBe('TASK_STARTING');
  });

  it('ends a task at max_completion_time with TASK_FAILED', async () => {
    const { scheduler, offer } = await setUp(contentType, { taskStartDelayMs: 1 });

    await launch(
      scheduler,
      [offer],
      [dockerTask(offer, 't', { max_completion_time: { nanoseconds: '50000000' } })],
    );
    await scheduler.acknowledge(await scheduler.nextUpdate('t', 'TASK_STARTING'));
    await scheduler.acknowledge(await scheduler.nextUpdate('t', 'TASK_RUNNING'));
    const failed = await scheduler.nextUpdate('t', 'TASK_FAILED');

    expect(failed.reason).toBe('REASON_MAX_COMPLETION_TIME_REACHED');
  });
});
