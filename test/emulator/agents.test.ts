import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import type { FrameworkInfo, MesosContentType, Offer } from '../../shared/mesos/index.js';
import { BOTH_ENCODINGS, eventually, startTestEmulator } from './support/emulator.js';
import { TestScheduler, frameworkInfo, testDispatcher } from './support/scheduler-driver.js';
import { dockerTask, launch, launchRunning, nextOffers } from './support/tasks.js';

let emulator: Emulator | undefined;
const schedulers: TestScheduler[] = [];

async function setUp(
  contentType: MesosContentType,
  info: FrameworkInfo = frameworkInfo(),
): Promise<{ target: Emulator; scheduler: TestScheduler; offers: Offer[] }> {
  const target = await startTestEmulator({ agents: 2, masterId: 'm' });
  emulator = target;
  const scheduler = await TestScheduler.subscribe(target.schedulerUrl, { contentType, info });
  schedulers.push(scheduler);
  return { target, scheduler, offers: await nextOffers(scheduler) };
}

afterEach(async () => {
  schedulers.splice(0).forEach((scheduler) => scheduler.close());
  await emulator?.stop();
  emulator = undefined;
});

afterAll(async () => {
  await testDispatcher.close();
});

const PARTITION_AWARE = frameworkInfo({ capabilities: [{ type: 'PARTITION_AWARE' }] });

describe.each(BOTH_ENCODINGS)('agent removal in %s', (contentType) => {
  it.each([
    ['unreachable', frameworkInfo(), 'TASK_LOST', 'REASON_AGENT_REMOVED', 'health check timed out'],
    [
      'unreachable',
      PARTITION_AWARE,
      'TASK_UNREACHABLE',
      'REASON_AGENT_REMOVED',
      'health check timed out',
    ],
    ['gone', frameworkInfo(), 'TASK_LOST', 'REASON_AGENT_REMOVED', 'Agent has been marked gone'],
    [
      'gone',
      PARTITION_AWARE,
      'TASK_GONE_BY_OPERATOR',
      'REASON_AGENT_REMOVED_BY_OPERATOR',
      'Agent has been marked gone',
    ],
  ] as const)(
    'reports tasks of an %s agent (%#)',
    async (removal, info, state, reason, message) => {
      const { target, scheduler, offers } = await setUp(contentType, info);
      const [busy, idle] = offers;
      await launchRunning(scheduler, busy!, dockerTask(busy!, 't'));
      target.control.removeAgent(busy!.agent_id.value, removal);
      target.control.removeAgent(idle!.agent_id.value, removal);

      const lost = await scheduler.nextUpdate('t');
      await eventually(
        () => scheduler.events.filter((event) => event.type === 'FAILURE').length === 2,
      );
      const lostIndex = scheduler.events.findIndex((event) => event.update?.status === lost);
      const after = scheduler.events.slice(lostIndex + 1);
      const rescind = after.find((event) => event.type === 'RESCIND');
      const failures = after.filter((event) => event.type === 'FAILURE');

      expect(lost.state).toBe(state);
      expect(lost.reason).toBe(reason);
      expect(lost.source).toBe('SOURCE_MASTER');
      expect(lost.message).toBe(message);
      expect(lost.uuid).toBeUndefined();
      expect(lost.agent_id).toEqual(busy!.agent_id);
      expect(lost.unreachable_time !== undefined).toBe(removal === 'unreachable');
      expect(
        after.filter((event) => event.type !== 'HEARTBEAT').map((event) => event.type),
      ).toEqual(['FAILURE', 'RESCIND', 'FAILURE']);
      expect(rescind?.rescind?.offer_id).toEqual(idle!.id);
      expect(failures.map((event) => event.failure)).toEqual([
        { agent_id: busy!.agent_id },
        { agent_id: idle!.agent_id },
      ]);
      expect(target.control.tasks()).toEqual([]);
      expect(target.control.agents()).toEqual([]);
    },
  );

  it('blocks the id of a task lost with its agent', async () => {
    const { target, scheduler, offers } = await setUp(contentType, PARTITION_AWARE);
    await launchRunning(scheduler, offers[0]!, dockerTask(offers[0]!, 't'));
    target.control.removeAgent(offers[0]!.agent_id.value);
    await scheduler.nextUpdate('t', 'TASK_UNREACHABLE');

    await launch(scheduler, [offers[1]!], [dockerTask(offers[1]!, 't')]);
    const reused = await scheduler.nextUpdate('t', 'TASK_ERROR');

    expect(reused.message).toBe('Task reuses the ID of an unreachable task: t');
  });

  it('frees the id of a task gone by operator', async () => {
    const { target, scheduler, offers } = await setUp(contentType, PARTITION_AWARE);
    await launchRunning(scheduler, offers[0]!, dockerTask(offers[0]!, 't'));
    target.control.removeAgent(offers[0]!.agent_id.value, 'gone');
    await scheduler.nextUpdate('t', 'TASK_GONE_BY_OPERATOR');

    await launch(scheduler, [offers[1]!], [dockerTask(offers[1]!, 't')]);
    const relaunched = await scheduler.nextUpdate('t');

    expect(relaunched.state).toBe('TASK_STARTING');
  });

  it('fails an ACCEPT of a removed agent with invalid offers', async () => {
    const { target, scheduler, offers } = await setUp(contentType);
    target.control.removeAgent(offers[0]!.agent_id.value);

    await launch(scheduler, [offers[0]!], [dockerTask(offers[0]!, 't')]);
    const lost = await scheduler.nextUpdate('t');

    expect(lost.state).toBe('TASK_LOST');
    expect(lost.reason).toBe('REASON_INVALID_OFFERS');
  });
});

describe('agent addition', () => {
  it('fills unset fields from the default agent', async () => {
    const { target } = await setUp('application/json');

    const added = target.control.addAgent({ cpus: 1, dockerNetworks: ['bridge'] });

    expect(added.id).toBe('m-S2');
    expect(added.hostname).toBe('agent-3');
    expect(added.ip).toBe('127.0.1.3');
    expect(added.dockerNetworks).toEqual(['bridge']);
    expect(added.total.map((resource) => [resource.name, resource.scalar?.value])).toEqual([
      ['cpus', 1],
      ['mem', 8192],
      ['disk', 10000],
      ['ports', undefined],
    ]);
  });
});
