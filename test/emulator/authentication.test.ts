import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { BOTH_ENCODINGS, startTestEmulator } from './support/emulator.js';
import {
  TestScheduler,
  frameworkInfo,
  sendCall,
  testDispatcher,
} from './support/scheduler-driver.js';

let emulator: Emulator;
const schedulers: TestScheduler[] = [];

beforeEach(async () => {
  emulator = await startTestEmulator({
    credentials: [{ principal: 'launcher', secret: 's3cret' }],
  });
});

afterEach(async () => {
  schedulers.splice(0).forEach((scheduler) => scheduler.close());
  await emulator.stop();
});

afterAll(async () => {
  await testDispatcher.close();
});

function basic(principal: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${principal}:${secret}`).toString('base64')}` };
}

describe.each(BOTH_ENCODINGS)('HTTP authentication in %s', (contentType) => {
  const subscribeCall = (principal?: string) =>
    ({
      type: 'SUBSCRIBE',
      subscribe: { framework_info: frameworkInfo(principal !== undefined ? { principal } : {}) },
    }) as const;

  it('answers 401 without credentials', async () => {
    const reply = await sendCall(emulator.schedulerUrl, subscribeCall(), contentType);

    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Basic realm="mesos-master-scheduler"');
  });

  it('answers 401 for a wrong secret', async () => {
    const reply = await sendCall(
      emulator.schedulerUrl,
      subscribeCall(),
      contentType,
      basic('launcher', 'wrong'),
    );

    expect(reply.status).toBe(401);
  });

  it('rejects a FrameworkInfo principal other than the authenticated one', async () => {
    const reply = await sendCall(
      emulator.schedulerUrl,
      subscribeCall('someone-else'),
      contentType,
      basic('launcher', 's3cret'),
    );

    expect(reply.status).toBe(400);
    expect(reply.text).toBe(
      "Failed to validate scheduler::Call: Authenticated principal 'launcher' does not match principal 'someone-else' set in `FrameworkInfo`",
    );
  });

  it('subscribes and calls with valid credentials', async () => {
    const scheduler = await TestScheduler.subscribe(emulator.schedulerUrl, {
      contentType,
      info: frameworkInfo({ principal: 'launcher' }),
      headers: basic('launcher', 's3cret'),
    });
    schedulers.push(scheduler);

    const revive = await scheduler.call({ type: 'REVIVE' }, basic('launcher', 's3cret'));
    const anonymous = await scheduler.call({ type: 'REVIVE' });

    expect(scheduler.status).toBe(200);
    expect(revive.status).toBe(202);
    expect(anonymous.status).toBe(401);
  });
});
