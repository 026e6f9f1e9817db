import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { eventually, startTestEmulator } from './support/emulator.js';
import {
  TestScheduler,
  frameworkInfo,
  post,
  sendCall,
  testDispatcher,
} from './support/scheduler-driver.js';
import { dockerTask, launchRunning, nextOffers } from './support/tasks.js';

let emulator: Emulator;
const schedulers: TestScheduler[] = [];

beforeEach(async () => {
  emulator = await startTestEmulator({ agents: 1, masterId: 'm' });
});

afterEach(async () => {
  schedulers.splice(0).forEach((scheduler) => scheduler.close());
  await emulator.stop();
});

afterAll(async () => {
  await testDispatcher.close();
});

async function control(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const reply = await post(`${emulator.url}/control${path}`, {
    method,
    ...(body !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
      : {}),
  });
  return { status: reply.status, json: JSON.parse(reply.text) as unknown };
}

async function runningTask(): Promise<TestScheduler> {
  const scheduler = await TestScheduler.subscribe(emulator.schedulerUrl, {
    info: frameworkInfo({ failover_timeout: 60 }),
  });
  schedulers.push(scheduler);
  const [offer] = await nextOffers(scheduler);
  await launchRunning(scheduler, offer!, dockerTask(offer!, 't'));
  return scheduler;
}

describe('HTTP control API', () => {
  it('lists frameworks, tasks, agents and offers', async () => {
    const scheduler = await runningTask();

    const frameworks = await control('GET', '/frameworks');
    const tasks = await control('GET', '/tasks?state=TASK_RUNNING');
    const agents = await control('GET', '/agents');
    const offers = await control('GET', '/offers');

    expect(frameworks.json).toMatchObject([
      {
        id: scheduler.frameworkId,
        name: 'emulator-test',
        connected: true,
        taskCount: 1,
        roles: ['*'],
      },
    ]);
    expect(tasks.json).toMatchObject([{ taskId: 't', state: 'TASK_RUNNING', agentId: 'm-S0' }]);
    expect(agents.json).toMatchObject([{ id: 'm-S0', hostname: 'agent-1', taskCount: 1 }]);
    expect(offers.json).toEqual([]);
  });

  it('finishes and fails tasks', async () => {
    const scheduler = await runningTask();

    const finished = await control('POST', '/tasks/t/finish', {});
    const update = await scheduler.nextUpdate('t', 'TASK_FINISHED');
    const again = await control('POST', '/tasks/t/fail', { exitCode: 2 });
    const unknown = await control('POST', '/tasks/nope/finish');

    expect(finished.status).toBe(200);
    expect(update.message).toBe('Container exited with status 0');
    expect(again.status).toBe(400);
    expect(again.json).toMatchObject({ code: 'EMULATOR_INVALID_REQUEST' });
    expect(unknown.status).toBe(404);
  });

  it('adds and removes agents', async () => {
    const added = await control('POST', '/agents', { hostname: 'extra', cpus: 2 });
    const removed = await control('DELETE', '/agents/m-S1?removal=gone');
    const missing = await control('DELETE', '/agents/m-S1');

    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ id: 'm-S1', hostname: 'extra' });
    expect(removed.status).toBe(200);
    expect(missing.status).toBe(404);
    expect(emulator.control.agents().map((agent) => agent.id)).toEqual(['m-S0']);
  });

  it('drops streams and toggles heartbeats', async () => {
    const scheduler = await runningTask();

    const stopped = await control('POST', '/heartbeats', { enabled: false });
    const dropped = await control('POST', '/streams/drop', { frameworkId: scheduler.frameworkId });
    await scheduler.waitForEnd();
    const invalid = await control('POST', '/heartbeats', { enabled: 'no' });

    expect(stopped.status).toBe(200);
    expect(dropped.json).toEqual({ dropped: 1 });
    expect(invalid.status).toBe(400);
    expect(emulator.control.frameworks()[0]?.connected).toBe(false);
  });

  it('switches leadership and availability', async () => {
    await control('POST', '/leadership', { leader: false, redirectTo: 'other:5050' });
    const redirected = await sendCall(
      emulator.schedulerUrl,
      { type: 'REVIVE' },
      'application/json',
    );
    await control('POST', '/leadership', { leader: true });
    await control('POST', '/unavailable', { enabled: true });
    const unavailable = await sendCall(
      emulator.schedulerUrl,
      { type: 'REVIVE' },
      'application/json',
    );
    await control('POST', '/unavailable', { enabled: false });
    const served = await sendCall(emulator.schedulerUrl, { type: 'REVIVE' }, 'application/json');

    expect(redirected.status).toBe(307);
    expect(redirected.headers.location).toBe('//other:5050/master/api/v1/scheduler');
    expect(unavailable.status).toBe(503);
    expect(served.status).toBe(400);
  });

  it('sets update faults', async () => {
    const reply = await control('POST', '/updates', { delayMs: 0, duplicate: true });
    const invalid = await control('POST', '/updates', { delayMs: -1 });

    expect(reply.json).toEqual({ delayMs: 0, duplicate: true });
    expect(invalid.status).toBe(400);
  });

  it('shows and clears the call log', async () => {
    await sendCall(emulator.schedulerUrl, { type: 'REVIVE' }, 'application/json');

    const calls = await control('GET', '/calls');
    const cleared = await control('DELETE', '/calls');
    const empty = await control('GET', '/calls');

    expect(calls.json).toMatchObject([
      { type: 'REVIVE', status: 400, contentType: 'application/json' },
    ]);
    expect(cleared.status).toBe(200);
    expect(empty.json).toEqual([]);
  });

  it('runs an allocation on request', async () => {
    const scheduler = await TestScheduler.subscribe(emulator.schedulerUrl);
    schedulers.push(scheduler);
    const [offer] = await nextOffers(scheduler);
    await scheduler.call({
      type: 'DECLINE',
      decline: { offer_ids: [offer!.id], filters: { refuse_seconds: 0 } },
    });

    const reply = await control('POST', '/allocate');

    expect(reply.status).toBe(200);
    await eventually(() => emulator.control.offers().length === 1);
  });

  it('answers 404 for unknown routes and 400 for bad JSON', async () => {
    const unknown = await control('GET', '/nothing');
    const badJson = await post(`${emulator.url}/control/heartbeats`, { body: '{' });

    expect(unknown.status).toBe(404);
    expect(badJson.status).toBe(400);
  });
});
