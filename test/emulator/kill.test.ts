import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../emulator/index.js';
import type { FrameworkInfo, MesosContentType, Offer } from '../../shared/mesos/index.js';
import { BOTH_ENCODINGS, startTestEmulator } from './support/emulator.js';
import { TestScheduler, frameworkInfo, testDispatcher } from './support/scheduler-driver.js';
import { dockerTask, launch, launchRunning, nextOffers } from './support/tasks.js';

let emulator: Emulator | undefined;
const schedulers: TestScheduler[] = [];

async function setUp(
  contentType: MesosContentType,
  info: FrameworkInfo = frameworkInfo(),
  options: EmulatorOptions = {},
): Promise<{ target: Emulator; scheduler: TestScheduler; offer: Offer }> {
  const target = await startTestEmulator({ agents: 1, masterId: 'm', ...options });
  emulator = target;
  const scheduler = await TestScheduler.subscribe(target.schedulerUrl, { contentType, info });
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

const KILLING = frameworkInfo({ capabilities: [{ type: 'TASK_KILLING_STATE' }] });

describe.each(BOTH_ENCODINGS)('KILL in %s', (contentType) => {
  it('kills a running task with TASK_KILLED only', async () => {
    const { scheduler, offer } = await setUp(contentType);
    await launchRunning(scheduler, offer, dockerTask(offer, 't'));

    const reply = await scheduler.call({ type: 'KILL', kill: { task_id: { value: 't' } } });
    const killed = await scheduler.nextUpdate('t');

    expect(reply.status).toBe(202);
    expect(killed.state).toBe('TASK_KILLED');
    expect(killed.source).toBe('SOURCE_EXECUTOR');
    expect(killed.message).toBe('Container exited with status 143');
    expect(killed.uuid).toHaveLength(16);
  });

  it('sends TASK_KILLING first with TASK_KILLING_STATE', async () => {
    const { scheduler, offer } = await setUp(contentType, KILLING);
    await launchRunning(scheduler, offer, dockerTask(offer, 't'));

    await scheduler.call({
      type: 'KILL',
      kill: { task_id: { value: 't' }, agent_id: offer.agent_id },
    });
    const killing = await scheduler.nextUpdate('t');
    await scheduler.acknowledge(killing);
    const killed = await scheduler.nextUpdate('t');

    expect(killing.state).toBe('TASK_KILLING');
    expect(killing.source).toBe('SOURCE_EXECUTOR');
    expect(killed.state).toBe('TASK_KILLED');
  });

  it('ignores a KILL naming another agent', async () => {
    const { scheduler, offer } = await setUp(contentType, KILLING);
    await launchRunning(scheduler, offer, dockerTask(offer, 't'));

    await scheduler.call({
      type: 'KILL',
      kill: { task_id: { value: 't' }, agent_id: { value: 'm-S9' } },
    });
    await scheduler.call({
      type: 'RECONCILE',
      reconcile: { tasks: [{ task_id: { value: 't' } }] },
    });
    const next = await scheduler.nextUpdate('t');

    expect(next.reason).toBe('REASON_RECONCILIATION');
    expect(next.state).toBe('TASK_RUNNING');
  });

  it('kills a task still being launched from the agent', async () => {
    const { scheduler, offer } = await setUp(contentType, KILLING, { taskLaunchDelayMs: 60_000 });
    await launch(scheduler, [offer], [dockerTask(offer, 't')]);

    await scheduler.call({ type: 'KILL', kill: { task_id: { value: 't' } } });
    const killed = await scheduler.nextUpdate('t');

    expect(killed.state).toBe('TASK_KILLED');
    expect(killed.source).toBe('SOURCE_AGENT');
    expect(killed.reason).toBe('REASON_TASK_KILLED_DURING_LAUNCH');
    expect(killed.message).toBe('Killed before delivery to the executor');
    expect(killed.uuid).toHaveLength(16);
  });

  it('kills a starting task before it runs', async () => {
    const { scheduler, offer } = await setUp(contentType, KILLING, { taskStartDelayMs: 60_000 });
    await launch(scheduler, [offer], [dockerTask(offer, 't')]);
    const starting = await scheduler.nextUpdate('t', 'TASK_STARTING');

    await scheduler.call({ type: 'KILL', kill: { task_id: { value: 't' } } });
    await scheduler.acknowledge(starting);
    const killing = await scheduler.nextUpdate('t');

    expect(killing.state).toBe('TASK_KILLING');
  });

  it('frees the resources of a killed task', async () => {
    const { target, scheduler, offer } = await setUp(contentType);
    await launchRunning(scheduler, offer, dockerTask(offer, 't'));

    await scheduler.call({ type: 'KILL', kill: { task_id: { value: 't' } } });
    const killed = await scheduler.nextUpdate('t', 'TASK_KILLED');
    await scheduler.acknowledge(killed);

    expect(target.control.tasks()).toEqual([]);
    expect(
      target.control.agents()[0]?.available.find((resource) => resource.name === 'cpus')?.scalar
        ?.value,
    ).toBe(4);
  });
});
