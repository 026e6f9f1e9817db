import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { encodeCall } from '../../shared/mesos/index.js';
import { BOTH_ENCODINGS, startTestEmulator } from './support/emulator.js';
import {
  TestScheduler,
  frameworkInfo,
  post,
  sendCall,
  testDispatcher,
} from './support/scheduler-driver.js';

let emulator: Emulator;
const schedulers: TestScheduler[] = [];

beforeEach(async () => {
  emulator = await startTestEmulator();
});

afterEach(async () => {
  schedulers.splice(0).forEach((scheduler) => scheduler.close());
  await emulator.stop();
});

afterAll(async () => {
  await testDispatcher.close();
});

async function subscribe(contentType: (typeof BOTH_ENCODINGS)[number]): Promise<TestScheduler> {
  const scheduler = await TestScheduler.subscribe(emulator.schedulerUrl, { contentType });
  schedulers.push(scheduler);
  return scheduler;
}

describe('scheduler endpoint transport', () => {
  it('rejects GET with 405 and Allow', async () => {
    const reply = await post(emulator.schedulerUrl, { method: 'GET' });

    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('POST');
    expect(reply.text).toBe(
      "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.",
    );
  });

  it('requires Content-Type', async () => {
    const reply = await post(emulator.schedulerUrl, { body: '{}' });

    expect(reply.status).toBe(400);
    expect(reply.text).toBe("Expecting 'Content-Type' to be present");
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON', 'text/plain'])(
    'answers 415 for Content-Type %s',
    async (contentType) => {
      const reply = await post(emulator.schedulerUrl, {
        headers: { 'content-type': contentType },
        body: '{}',
      });

      expect(reply.status).toBe(415);
      expect(reply.text).toBe(
        "Expecting 'Content-Type' of application/json or application/x-protobuf",
      );
    },
  );

  it('answers 400 for a body that is not protobuf', async () => {
    const reply = await post(emulator.schedulerUrl, {
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from([0xff, 0xff, 0xff]),
    });

    expect(reply.status).toBe(400);
    expect(reply.text).toBe('Failed to parse body into Call protobuf');
  });

  it('answers 400 for JSON syntax errors', async () => {
    const reply = await post(emulator.schedulerUrl, {
      headers: { 'content-type': 'application/json' },
      body: '{"type": ',
    });

    expect(reply.status).toBe(400);
    expect(reply.text).toMatch(/^Failed to parse body into JSON: /);
  });

  it('answers 400 for JSON that is not a Call', async () => {
    const reply = await post(emulator.schedulerUrl, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'x' } } }),
    });

    expect(reply.status).toBe(400);
    expect(reply.text).toMatch(/^Failed to convert JSON into Call protobuf: /);
    expect(reply.text).toContain('user');
  });

  it('answers 400 for an enum given as a JSON number', async () => {
    const reply = await post(emulator.schedulerUrl, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 1 }),
    });

    expect(reply.status).toBe(400);
    expect(reply.text).toMatch(/^Failed to convert JSON into Call protobuf: /);
  });

  it('serves both scheduler paths', async () => {
    for (const path of ['/api/v1/scheduler', '/master/api/v1/scheduler']) {
      const scheduler = await TestScheduler.subscribe(`${emulator.url}${path}`);
      schedulers.push(scheduler);
      expect(scheduler.status).toBe(200);
    }
  });

  it('answers 404 elsewhere', async () => {
    const reply = await post(`${emulator.url}/api/v1/executor`, {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });

    expect(reply.status).toBe(404);
  });
});

describe.each(BOTH_ENCODINGS)('call validation in %s', (contentType) => {
  it('requires type', async () => {
    const reply = await post(emulator.schedulerUrl, {
      headers: { 'content-type': contentType },
      body: encodeCall({} as never, contentType),
    });

    expect(reply.status).toBe(400);
    expect(reply.text).toBe("Failed to validate scheduler::Call: Expecting 'type' to be present");
  });

  it('requires framework_id outside SUBSCRIBE', async () => {
    const reply = await sendCall(emulator.schedulerUrl, { type: 'REVIVE' }, contentType);

    expect(reply.status).toBe(400);
    expect(reply.text).toBe(
      "Failed to validate scheduler::Call: Expecting 'framework_id' to be present",
    );
  });

  it('requires the payload of the call type', async () => {
    const reply = await sendCall(
      emulator.schedulerUrl,
      { type: 'ACCEPT', framework_id: { value: 'x' } },
      contentType,
    );

    expect(reply.status).toBe(400);
    expect(reply.text).toBe("Failed to validate scheduler::Call: Expecting 'accept' to be present");
  });

  it('rejects SUBSCRIBE whose framework ids differ', async () => {
    const reply = await sendCall(
      emulator.schedulerUrl,
      {
        type: 'SUBSCRIBE',
        framework_id: { value: 'one' },
        subscribe: { framework_info: frameworkInfo({ id: { value: 'two' } }) },
      },
      contentType,
    );

    expect(reply.status).toBe(400);
    expect(reply.text).toBe(
      "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'",
    );
  });

  it('rejects SUBSCRIBE carrying Mesos-Stream-Id', async () => {
    const reply = await sendCall(
      emulator.schedulerUrl,
      { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo() } },
      contentType,
      { 'mesos-stream-id': 'f1c7f4a4-9fd2-4a8f-8a56-9d2d6c1b1a10' },
    );

    expect(reply.status).toBe(400);
    expect(reply.text).toBe("Subscribe calls should not include the 'Mesos-Stream-Id' header");
  });

  it('answers 406 when Accept allows neither type', async () => {
    const reply = await sendCall(
      emulator.schedulerUrl,
      { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo() } },
      contentType,
      { accept: 'text/html' },
    );

    expect(reply.status).toBe(406);
    expect(reply.text).toBe(
      "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'",
    );
  });

  it('answers 400 for an unknown framework', async () => {
    const reply = await sendCall(
      emulator.schedulerUrl,
      { type: 'REVIVE', framework_id: { value: 'no-such-framework' } },
      contentType,
      { 'mesos-stream-id': 'f1c7f4a4-9fd2-4a8f-8a56-9d2d6c1b1a10' },
    );

    expect(reply.status).toBe(400);
    expect(reply.text).toBe('Framework cannot be found');
  });

  it('requires the current Mesos-Stream-Id', async () => {
    const scheduler = await subscribe(contentType);
    const call = { type: 'REVIVE' as const, framework_id: { value: scheduler.frameworkId } };

    const missing = await sendCall(emulator.schedulerUrl, call, contentType);
    const wrong = await sendCall(emulator.schedulerUrl, call, contentType, {
      'mesos-stream-id': 'f1c7f4a4-9fd2-4a8f-8a56-9d2d6c1b1a10',
    });
    const right = await scheduler.call({ type: 'REVIVE' });

    expect(missing.status).toBe(400);
    expect(missing.text).toBe(
      "All non-subscribe calls should include the 'Mesos-Stream-Id' header",
    );
    expect(wrong.status).toBe(400);
    expect(wrong.text).toBe(
      `The stream ID 'f1c7f4a4-9fd2-4a8f-8a56-9d2d6c1b1a10' included in this request didn't match the stream ID currently associated with framework ID ${scheduler.frameworkId}`,
    );
    expect(right.status).toBe(202);
    expect(right.text).toBe('');
  });

  it('answers 501 for type UNKNOWN', async () => {
    const scheduler = await subscribe(contentType);

    const reply = await scheduler.call({ type: 'UNKNOWN' });

    expect(reply.status).toBe(501);
  });

  it('answers 403 for a disconnected framework', async () => {
    const scheduler = await TestScheduler.subscribe(emulator.schedulerUrl, {
      contentType,
      info: frameworkInfo({ failover_timeout: 60 }),
    });
    emulator.control.dropStreams();
    await scheduler.waitForEnd();

    const reply = await scheduler.call({ type: 'REVIVE' });

    expect(reply.status).toBe(403);
    expect(reply.text).toBe('Framework is not subscribed');
  });
});

describe('Accept negotiation', () => {
  it.each([
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['application/*', 'application/json'],
    ['application/x-protobuf, application/json', 'application/json'],
    ['application/x-protobuf', 'application/x-protobuf'],
    ['application/json;q=0, application/x-protobuf', 'application/x-protobuf'],
    ['application/json;q=0, */*', 'application/x-protobuf'],
  ])('Accept %s streams %s', async (accept, expected) => {
    const scheduler = await TestScheduler.open(emulator.schedulerUrl, {
      contentType: 'application/json',
      ...(accept !== undefined ? { accept } : {}),
    });
    schedulers.push(scheduler);

    expect(scheduler.status).toBe(200);
    expect(scheduler.streamContentType).toBe(expected);
    expect(await scheduler.next('SUBSCRIBED')).toBeDefined();
  });
});

describe('leadership and availability', () => {
  it('redirects with a scheme-less Location to the leader', async () => {
    emulator.control.becomeNonLeader('m2.example:5050');

    for (const path of ['/api/v1/scheduler', '/master/api/v1/scheduler?x=1']) {
      const reply = await sendCall(
        `${emulator.url}${path}`,
        { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo() } },
        'application/json',
      );
      expect(reply.status).toBe(307);
      expect(reply.headers.location).toBe(
        `//m2.example:5050/master/api/v1/scheduler${path.includes('?') ? '?x=1' : ''}`,
      );
    }
  });

  it('redirects before checking the method', async () => {
    emulator.control.becomeNonLeader('m2.example:5050');

    const reply = await post(emulator.schedulerUrl, { method: 'GET' });

    expect(reply.status).toBe(307);
  });

  it('ends open streams when it loses leadership', async () => {
    const scheduler = await subscribe('application/json');

    emulator.control.becomeNonLeader('m2.example:5050');

    await scheduler.waitForEnd();
    expect(scheduler.ended).toBe(true);
  });

  it('answers 503 without a leader', async () => {
    emulator.control.becomeNonLeader(null);

    const reply = await sendCall(emulator.schedulerUrl, { type: 'REVIVE' }, 'application/json');

    expect(reply.status).toBe(503);
    expect(reply.text).toBe('No leader elected');
  });

  it('answers 503 while unavailable and recovers', async () => {
    emulator.control.setUnavailable(true);
    const during = await sendCall(
      emulator.schedulerUrl,
      { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo() } },
      'application/json',
    );
    emulator.control.setUnavailable(false);
    const after = await subscribe('application/json');

    expect(during.status).toBe(503);
    expect(during.text).toBe('Master has not finished recovery');
    expect(after.status).toBe(200);
  });
});

describe('call log', () => {
  it('records type, stream id, content type and status', async () => {
    const scheduler = await subscribe('application/x-protobuf');
    await scheduler.call({ type: 'REVIVE' });
    await post(emulator.schedulerUrl, { method: 'GET' });

    const calls = emulator.control.calls();

    expect(calls.map((entry) => [entry.type, entry.status])).toEqual([
      ['SUBSCRIBE', 200],
      ['REVIVE', 202],
      [undefined, 405],
    ]);
    expect(calls[0]?.contentType).toBe('application/x-protobuf');
    expect(calls[0]?.streamId).toBeUndefined();
    expect(calls[1]?.streamId).toBe(scheduler.streamId);
    expect(calls[1]?.frameworkId).toBe(scheduler.frameworkId);
  });
});
