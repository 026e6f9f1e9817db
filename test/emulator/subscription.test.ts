import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../emulator/index.js';
import type { FrameworkInfo, MesosContentType } from '../../shared/mesos/index.js';
import { BOTH_ENCODINGS, eventually, startTestEmulator } from './support/emulator.js';
import { TestScheduler, frameworkInfo, testDispatcher } from './support/scheduler-driver.js';
import { dockerTask, launch, launchRunning, nextOffers } from './support/tasks.js';

let emulator: Emulator | undefined;
const schedulers: TestScheduler[] = [];

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emulator = await startTestEmulator(options);
  return emulator;
}

async function subscribe(
  target: Emulator,
  contentType: MesosContentType,
  info: FrameworkInfo = frameworkInfo(),
  suppressedRoles?: string[],
): Promise<TestScheduler> {
  const scheduler = await TestScheduler.open(target.schedulerUrl, {
    contentType,
    info,
    ...(suppressedRoles !== undefined ? { suppressedRoles } : {}),
  });
  schedulers.push(scheduler);
  return scheduler;
}

afterEach(async () => {
  schedulers.splice(0).forEach((scheduler) => scheduler.close());
  await emulator?.stop();
  emulator = undefined;
});

afterAll(async () => {
  await testDispatcher.close();
});

describe.each(BOTH_ENCODINGS)('SUBSCRIBE in %s', (contentType) => {
  it('sends SUBSCRIBED then an immediate HEARTBEAT', async () => {
    const target = await start({ masterId: 'test-master' });
    const scheduler = await subscribe(target, contentType);

    await scheduler.next('HEARTBEAT');
    const [subscribed, heartbeat] = scheduler.events;

    expect(scheduler.status).toBe(200);
    expect(scheduler.streamContentType).toBe(contentType);
    expect(scheduler.streamId).toMatch(/^[0-9a-f-]{36}$/);
    expect(subscribed?.type).toBe('SUBSCRIBED');
    expect(subscribed?.subscribed?.framework_id.value).toBe('test-master-0000');
    expect(subscribed?.subscribed?.heartbeat_interval_seconds).toBe(15);
    expect(subscribed?.subscribed?.master_info?.id).toBe('test-master');
    expect(subscribed?.subscribed?.master_info?.port).toBe(Number(new URL(target.url).port));
    expect(heartbeat?.type).toBe('HEARTBEAT');
  });

  it('sends a HEARTBEAT every interval until stopped', async () => {
    const target = await start({ heartbeatIntervalSeconds: 0.02 });
    const scheduler = await subscribe(target, contentType);
    await scheduler.next('SUBSCRIBED');
    await scheduler.next('HEARTBEAT');
    await scheduler.next('HEARTBEAT');
    await scheduler.next('HEARTBEAT');

    target.control.stopHeartbeats();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const countWhenStopped = scheduler.events.filter((event) => event.type === 'HEARTBEAT').length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    const countLater = scheduler.events.filter((event) => event.type === 'HEARTBEAT').length;
    target.control.resumeHeartbeats();
    await scheduler.next('HEARTBEAT');

    expect(countLater).toBe(countWhenStopped);
  });

  it('reports the configured heartbeat interval', async () => {
    const target = await start({ heartbeatIntervalSeconds: 2.5 });
    const scheduler = await subscribe(target, contentType);

    const subscribed = await scheduler.next('SUBSCRIBED');

    expect(subscribed.subscribed?.heartbeat_interval_seconds).toBe(2.5);
  });
});

describe.each(BOTH_ENCODINGS)('invalid FrameworkInfo in %s', (contentType) => {
  const cases: Array<[string, FrameworkInfo, string[] | undefined, string]> = [
    [
      'role with MULTI_ROLE',
      frameworkInfo({ role: '*', roles: ['a'], capabilities: [{ type: 'MULTI_ROLE' }] }),
      undefined,
      "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable",
    ],
    [
      'roles without MULTI_ROLE',
      frameworkInfo({ roles: ['a'] }),
      undefined,
      "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable",
    ],
    [
      'duplicate roles',
      frameworkInfo({ roles: ['a', 'a'], capabilities: [{ type: 'MULTI_ROLE' }] }),
      undefined,
      "'FrameworkInfo.roles' contains duplicate items: { a }",
    ],
    [
      'role with a dot component',
      frameworkInfo({ role: 'a/./b' }),
      undefined,
      "'FrameworkInfo.role' is not a valid role: Role 'a/./b' cannot include '.' as a component",
    ],
    [
      'role starting with a slash',
      frameworkInfo({ roles: ['/a'], capabilities: [{ type: 'MULTI_ROLE' }] }),
      undefined,
      "'FrameworkInfo.roles' contains invalid role: Role '/a' cannot start with a slash",
    ],
    [
      'role component with a dash',
      frameworkInfo({ role: 'a/-b' }),
      undefined,
      "'FrameworkInfo.role' is not a valid role: Role component '-b' is invalid because it starts with a dash",
    ],
    [
      'id with a slash',
      frameworkInfo({ id: { value: 'a/b' } }),
      undefined,
      "'a/b' contains invalid characters",
    ],
    [
      'failover_timeout beyond a Duration',
      frameworkInfo({ failover_timeout: 1e300 }),
      undefined,
      'The framework failover_timeout (1e+300) is invalid',
    ],
    [
      'suppressed role outside the roles',
      frameworkInfo({ role: 'web' }),
      ['db'],
      'Suppressed roles { db } are not contained in the set of roles',
    ],
  ];

  it.each(cases)(
    'refuses %s with ERROR and a closed stream',
    async (_name, info, suppressed, message) => {
      const target = await start();
      const scheduler = await subscribe(target, contentType, info, suppressed);

      await scheduler.waitForEnd();

      expect(scheduler.status).toBe(200);
      expect(scheduler.events).toEqual([{ type: 'ERROR', error: { message } }]);
      expect(target.control.frameworks()).toEqual([]);
    },
  );
});

describe.each(BOTH_ENCODINGS)('failover in %s', (contentType) => {
  it('closes the old stream with "Framework failed over"', async () => {
    const target = await start();
    const first = await subscribe(target, contentType, frameworkInfo({ failover_timeout: 60 }));
    await first.next('SUBSCRIBED');
    const firstOffers = await nextOffers(first);

    const second = await subscribe(
      target,
      contentType,
      frameworkInfo({ failover_timeout: 60, id: { value: first.frameworkId } }),
    );
    await second.next('SUBSCRIBED');
    await first.waitForEnd();
    const secondOffers = await nextOffers(second);

    expect(first.events.at(-1)).toEqual({
      type: 'ERROR',
      error: { message: 'Framework failed over' },
    });
    expect(first.events.some((event) => event.type === 'RESCIND')).toBe(false);
    expect(second.frameworkId).toBe(first.frameworkId);
    expect(second.streamId).not.toBe(first.streamId);
    expect(secondOffers.map((offer) => offer.id.value)).not.toContain(firstOffers[0]?.id.value);
    expect(
      target.control
        .offers()
        .map((offer) => offer.id)
        .sort(),
    ).toEqual(secondOffers.map((offer) => offer.id.value).sort());
  });

  it('keeps tasks when resubscribing within failover_timeout', async () => {
    const target = await start();
    const info = frameworkInfo({ failover_timeout: 60 });
    const first = await subscribe(target, contentType, info);
    await first.next('SUBSCRIBED');
    const [offer] = await nextOffers(first);
    await launchRunning(first, offer!, dockerTask(offer!, 'kept'));

    target.control.dropStreams();
    await first.waitForEnd();
    const second = await subscribe(target, contentType, {
      ...info,
      id: { value: first.frameworkId },
    });
    await second.next('SUBSCRIBED');
    await second.call({ type: 'RECONCILE', reconcile: { tasks: [] } });
    const reconciled = await second.nextUpdate('kept');

    expect(target.control.tasks().map((task) => [task.taskId, task.state])).toEqual([
      ['kept', 'TASK_RUNNING'],
    ]);
    expect(reconciled.state).toBe('TASK_RUNNING');
  });

  it('resends unacknowledged updates on resubscription', async () => {
    const target = await start();
    const info = frameworkInfo({ failover_timeout: 60 });
    const first = await subscribe(target, contentType, info);
    await first.next('SUBSCRIBED');
    const [offer] = await nextOffers(first);
    await launch(first, [offer!], [dockerTask(offer!, 'pending')]);
    const starting = await first.nextUpdate('pending', 'TASK_STARTING');

    target.control.dropStreams();
    await first.waitForEnd();
    const second = await subscribe(target, contentType, {
      ...info,
      id: { value: first.frameworkId },
    });
    const resent = await second.nextUpdate('pending', 'TASK_STARTING');

    expect(Buffer.from(resent.uuid!)).toEqual(Buffer.from(starting.uuid!));
  });

  it('removes the framework and its tasks after failover_timeout', async () => {
    const target = await start();
    const info = frameworkInfo({ failover_timeout: 0.05 });
    const first = await subscribe(target, contentType, info);
    await first.next('SUBSCRIBED');
    const [offer] = await nextOffers(first);
    await launchRunning(first, offer!, dockerTask(offer!, 'doomed'));

    target.control.dropStreams();
    await eventually(() => target.control.frameworks().length === 0);
    const again = await subscribe(target, contentType, {
      ...info,
      id: { value: first.frameworkId },
    });
    await again.waitForEnd();

    expect(target.control.tasks()).toEqual([]);
    expect(again.events).toEqual([
      { type: 'ERROR', error: { message: 'Framework has been removed' } },
    ]);
    expect(target.control.agents().every((agent) => agent.taskCount === 0)).toBe(true);
  });

  it('removes the framework at once with failover_timeout 0', async () => {
    const target = await start();
    const first = await subscribe(target, contentType);
    await first.next('SUBSCRIBED');

    first.close();

    await eventually(() => target.control.frameworks().length === 0);
  });

  it('accepts an id the master does not know', async () => {
    const target = await start();
    const scheduler = await subscribe(
      target,
      contentType,
      frameworkInfo({ id: { value: 'from-another-master' } }),
    );

    const subscribed = await scheduler.next('SUBSCRIBED');

    expect(subscribed.subscribed?.framework_id.value).toBe('from-another-master');
  });

  it('refuses a principal change', async () => {
    const target = await start();
    const info = frameworkInfo({ failover_timeout: 60, principal: 'alice' });
    const first = await subscribe(target, contentType, info);
    await first.next('SUBSCRIBED');

    const second = await subscribe(target, contentType, {
      ...info,
      principal: 'bob',
      id: { value: first.frameworkId },
    });
    await second.waitForEnd();

    expect(second.events).toEqual([
      { type: 'ERROR', error: { message: "Changing framework's principal is not allowed." } },
    ]);
    expect(first.ended).toBe(false);
  });

  it('tears down on TEARDOWN', async () => {
    const target = await start();
    const scheduler = await subscribe(target, contentType, frameworkInfo({ failover_timeout: 60 }));
    await scheduler.next('SUBSCRIBED');
    const [offer] = await nextOffers(scheduler);
    await launchRunning(scheduler, offer!, dockerTask(offer!, 'torn'));

    const reply = await scheduler.call({ type: 'TEARDOWN' });
    await scheduler.waitForEnd();

    expect(reply.status).toBe(202);
    expect(target.control.frameworks()).toEqual([]);
    expect(target.control.tasks()).toEqual([]);
  });

  it('updates the framework with UPDATE_FRAMEWORK', async () => {
    const target = await start();
    const info = frameworkInfo({ role: 'web', failover_timeout: 60 });
    const scheduler = await subscribe(target, contentType, info);
    await scheduler.next('SUBSCRIBED');
    const withId = { ...info, id: { value: scheduler.frameworkId } };

    const renamed = await scheduler.call({
      type: 'UPDATE_FRAMEWORK',
      update_framework: {
        framework_info: { ...withId, name: 'renamed' },
        suppressed_roles: ['web'],
      },
    });
    const newUser = await scheduler.call({
      type: 'UPDATE_FRAMEWORK',
      update_framework: { framework_info: { ...withId, user: 'nobody' } },
    });
    const otherId = await scheduler.call({
      type: 'UPDATE_FRAMEWORK',
      update_framework: { framework_info: { ...withId, id: { value: 'other' } } },
    });

    expect(renamed.status).toBe(200);
    expect(target.control.frameworks()[0]).toMatchObject({
      name: 'renamed',
      suppressedRoles: ['web'],
    });
    expect(newUser.status).toBe(400);
    expect(newUser.text).toBe(
      "FrameworkInfo update is not valid: Updating 'FrameworkInfo.user' is unsupported; attempted to update from 'root' to 'nobody'",
    );
    expect(otherId.status).toBe(400);
    expect(otherId.text).toBe(
      "Failed to validate scheduler::Call: 'framework_id' differs from 'update_framework.framework_info.id'",
    );
  });
});
