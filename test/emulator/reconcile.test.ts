import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import type {
  FrameworkInfo,
  MesosContentType,
  Offer,
  TaskStatus,
} from '../../shared/mesos/index.js';
import { BOTH_ENCODINGS, startTestEmulator } from './support/emulator.js';
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

function expectReconciliation(status: TaskStatus): void {
  expect(status.source).toBe('SOURCE_MASTER');
  expect(status.reason).toBe('REASON_RECONCILIATION');
  expect(status.uuid).toBeUndefined();
}

describe.each(BOTH_ENCODINGS)('reconciliation in %s', (contentType) => {
  it('answers implicit reconciliation with every known task', async () => {
    const { scheduler, offers } = await setUp(contentType);
    await launchRunning(scheduler, offers[0]!, dockerTask(offers[0]!, 'running'));
    await launch(scheduler, [offers[1]!], [dockerTask(offers[1]!, 'finished')]);
    await scheduler.acknowledge(await scheduler.nextUpdate('finished', 'TASK_STARTING'));
    await scheduler.acknowledge(await scheduler.nextUpdate('finished', 'TASK_RUNNING'));
    emulator!.control.finishTask('finished');
    await scheduler.nextUpdate('finished', 'TASK_FINISHED');

    const reply = await scheduler.call({ type: 'RECONCILE', reconcile: {} });
    const running = await scheduler.nextUpdate('running');
    const finished = await scheduler.nextUpdate('finished');

    expect(reply.status).toBe(202);
    expectReconciliation(running);
    expect(running.state).toBe('TASK_RUNNING');
    expect(running.message).toBe('Reconciliation: Latest task state');
    expect(running.agent_id).toEqual(offers[0]!.agent_id);
    expect(running.container_status?.network_infos?.[0]?.ip_addresses?.[0]?.ip_address).toBe(
      '127.0.1.1',
    );
    expectReconciliation(finished);
    expect(finished.state).toBe('TASK_FINISHED');
  });

  it('reports the latest forwarded state, not the newest one', async () => {
    const { target, scheduler, offers } = await setUp(contentType);
    await launch(scheduler, [offers[0]!], [dockerTask(offers[0]!, 'held')]);
    await scheduler.nextUpdate('held', 'TASK_STARTING');

    await scheduler.call({
      type: 'RECONCILE',
      reconcile: { tasks: [{ task_id: { value: 'held' } }] },
    });
    const answer = await scheduler.nextUpdate('held');

    expectReconciliation(answer);
    expect(answer.state).toBe('TASK_STARTING');
    expect(target.control.tasks()[0]?.statusUpdateState).toBe('TASK_STARTING');
  });

  it.each([
    [
      'a registered agent',
      'm-S0',
      'TASK_LOST',
      'TASK_GONE',
      'Reconciliation: Task is unknown to the agent',
    ],
    ['an unknown agent', 'm-S77', 'TASK_LOST', 'TASK_UNKNOWN', 'Reconciliation: Task is unknown'],
    ['no agent', undefined, 'TASK_LOST', 'TASK_UNKNOWN', 'Reconciliation: Task is unknown'],
  ])('answers an unknown task on %s', async (_name, agentId, plainState, awareState, message) => {
    for (const [info, state] of [
      [frameworkInfo(), plainState],
      [PARTITION_AWARE, awareState],
    ] as const) {
      const { target, scheduler } = await setUp(contentType, info);

      await scheduler.call({
        type: 'RECONCILE',
        reconcile: {
          tasks: [
            {
              task_id: { value: 'ghost' },
              ...(agentId !== undefined ? { agent_id: { value: agentId } } : {}),
            },
          ],
        },
      });
      const answer = await scheduler.nextUpdate('ghost');

      expectReconciliation(answer);
      expect(answer.state).toBe(state);
      expect(answer.message).toBe(message);
      expect(answer.agent_id?.value).toBe(agentId);
      scheduler.close();
      await target.stop();
    }
  });

  it.each([
    ['unreachable', 'TASK_UNREACHABLE', 'Reconciliation: Task is unreachable'],
    ['gone', 'TASK_GONE_BY_OPERATOR', 'Reconciliation: Task is gone'],
  ] as const)('answers a task on an %s agent', async (removal, awareState, message) => {
    for (const [info, state] of [
      [frameworkInfo(), 'TASK_LOST'],
      [PARTITION_AWARE, awareState],
    ] as const) {
      const { target, scheduler } = await setUp(contentType, info);
      target.control.removeAgent('m-S1', removal);

      await scheduler.call({
        type: 'RECONCILE',
        reconcile: { tasks: [{ task_id: { value: 'ghost' }, agent_id: { value: 'm-S1' } }] },
      });
      const answer = await scheduler.nextUpdate('ghost');

      expectReconciliation(answer);
      expect(answer.state).toBe(state);
      expect(answer.message).toBe(message);
      expect(answer.unreachable_time !== undefined).toBe(removal === 'unreachable');
      scheduler.close();
      await target.stop();
    }
  });

  it('answers a KILL of an unknown task with reconciliation', async () => {
    const { scheduler } = await setUp(contentType, PARTITION_AWARE);

    const reply = await scheduler.call({
      type: 'KILL',
      kill: { task_id: { value: 'ghost' }, agent_id: { value: 'm-S0' } },
    });
    const answer = await scheduler.nextUpdate('ghost');

    expect(reply.status).toBe(202);
    expectReconciliation(answer);
    expect(answer.state).toBe('TASK_GONE');
  });
});
