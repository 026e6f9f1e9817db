import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import type { Offer, Resource, TaskInfo } from '../../shared/mesos/index.js';
import { BOTH_ENCODINGS, startTestEmulator } from './support/emulator.js';
import { TestScheduler, testDispatcher } from './support/scheduler-driver.js';
import { dockerTask, launch, nextOffers, ports, scalar } from './support/tasks.js';

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

const OFFERED =
  'cpus(allocated: *):4; mem(allocated: *):8192; disk(allocated: *):10000; ports(allocated: *):[31000-32000]';

type TaskCase = [name: string, build: (offer: Offer) => TaskInfo, message: string];

const withResources = (offer: Offer, resources: Resource[]): TaskInfo =>
  dockerTask(offer, 't', { resources });

const TASK_CASES: TaskCase[] = [
  ['empty task id', (offer) => dockerTask(offer, ''), 'ID must not be empty'],
  [
    'task id with a slash',
    (offer) => dockerTask(offer, 'a/b'),
    "'a/b' contains invalid characters",
  ],
  ['task id ..', (offer) => dockerTask(offer, '..'), "'..' is disallowed"],
  [
    'task id of 256 bytes',
    (offer) => dockerTask(offer, 'x'.repeat(256)),
    'ID must not be greater than 255 characters',
  ],
  [
    'another agent',
    (offer) => ({ ...dockerTask(offer, 't'), agent_id: { value: 'm-S9' } }),
    'Task uses invalid agent m-S9 while agent m-S0 is expected',
  ],
  [
    'negative kill grace period',
    (offer) => dockerTask(offer, 't', { kill_policy: { grace_period: { nanoseconds: '-1' } } }),
    "Task's 'kill_policy.grace_period' must be non-negative",
  ],
  [
    'negative max_completion_time',
    (offer) => dockerTask(offer, 't', { max_completion_time: { nanoseconds: '-5' } }),
    "Task's `max_completion_time` must be non-negative",
  ],
  [
    'HTTP health check path without a slash',
    (offer) => dockerTask(offer, 't', { health_check: { http: { port: 80, path: 'health' } } }),
    "Task uses invalid health check: The path 'health' of HTTP health check must start with '/'",
  ],
  [
    'COMMAND check without a command value',
    (offer) => dockerTask(offer, 't', { check: { type: 'COMMAND', command: { command: {} } } }),
    "Task uses invalid check: Command check must contain 'shell command'",
  ],
  ['no resources', (offer) => withResources(offer, []), 'Task uses no resources'],
  [
    'fractional gpus',
    (offer) => withResources(offer, [scalar('cpus', 0.1), scalar('gpus', 0.5)]),
    "Task uses invalid resources: Invalid 'gpus' resource: The 'gpus' resource must be an unsigned integer",
  ],
  [
    'two allocation roles',
    (offer) =>
      withResources(offer, [
        { ...scalar('cpus', 0.1), allocation_info: { role: 'a' } },
        { ...scalar('mem', 32), allocation_info: { role: 'b' } },
      ]),
    "Invalid task resources: The resources have multiple allocation roles ('b' and 'a') but only one allocation role is allowed",
  ],
  [
    'environment variable without a value',
    (offer) =>
      dockerTask(offer, 't', {
        command: { value: 'true', environment: { variables: [{ name: 'A' }] } },
      }),
    "Task's `CommandInfo` is invalid: Environment variable 'A' of type 'VALUE' must have a value set",
  ],
  [
    'DOCKER container without DockerInfo',
    (offer) => dockerTask(offer, 't', { container: { type: 'DOCKER' } }),
    "Task's `ContainerInfo` is invalid: DockerInfo 'docker' is not set for DOCKER typed ContainerInfo",
  ],
  [
    'docker parameter name',
    (offer) =>
      dockerTask(offer, 't', {
        container: {
          type: 'DOCKER',
          docker: { image: 'busybox', parameters: [{ key: 'name', value: 'x' }] },
        },
      }),
    "Task's `ContainerInfo` is invalid: Parameter in DockerInfo must not be 'name'",
  ],
  [
    'volume with no source',
    (offer) =>
      dockerTask(offer, 't', {
        container: {
          type: 'DOCKER',
          docker: { image: 'busybox' },
          volumes: [{ container_path: '/data', mode: 'RW' }],
        },
      }),
    "Task's `ContainerInfo` is invalid: Invalid volume: Only one of them should be set: 'host_path', 'image' and 'source'",
  ],
  [
    'a limit on disk',
    (offer) => dockerTask(offer, 't', { limits: { disk: { value: 10 } } }),
    "Only cpus and mem may be included in a task's resource limits",
  ],
  [
    'a cpu limit below the request',
    (offer) => dockerTask(offer, 't', { limits: { cpus: { value: 0.05 } } }),
    'The cpu limit must be greater than or equal to the cpu request',
  ],
  [
    'neither command nor executor',
    (offer) => {
      const task = dockerTask(offer, 't');
      delete task.command;
      return task;
    },
    'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present',
  ],
  [
    'both command and executor',
    (offer) =>
      dockerTask(offer, 't', {
        executor: { executor_id: { value: 'e' }, command: { value: 'run-executor' } },
      }),
    'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present',
  ],
  [
    'a DEFAULT executor',
    (offer) => {
      const task = dockerTask(offer, 't', {
        executor: { executor_id: { value: 'e' }, type: 'DEFAULT' },
      });
      delete task.command;
      return task;
    },
    "'ExecutorInfo.type' must be 'CUSTOM'",
  ],
  [
    'an executor without a command',
    (offer) => {
      const task = dockerTask(offer, 't', { executor: { executor_id: { value: 'e' } } });
      delete task.command;
      return task;
    },
    "'ExecutorInfo.command' must be set",
  ],
  [
    'more cpus than offered',
    (offer) => withResources(offer, [scalar('cpus', 5), scalar('mem', 32)]),
    `Total resources cpus(allocated: *):5; mem(allocated: *):32 required by task and its executor is more than available ${OFFERED}`,
  ],
  [
    'a port outside the offer',
    (offer) => withResources(offer, [scalar('cpus', 0.1), ports([30999, 30999])]),
    `Total resources cpus(allocated: *):0.1; ports(allocated: *):[30999-30999] required by task and its executor is more than available ${OFFERED}`,
  ],
  [
    'reserved resources from an unreserved offer',
    (offer) => withResources(offer, [{ ...scalar('cpus', 0.1), role: 'web' }]),
    `Total resources cpus(allocated: *)(reservations: [(STATIC,web)]):0.1 required by task and its executor is more than available ${OFFERED}`,
  ],
  [
    'another allocation role',
    (offer) => withResources(offer, [{ ...scalar('cpus', 0.1), allocation_info: { role: 'web' } }]),
    `Total resources cpus(allocated: web):0.1 required by task and its executor is more than available ${OFFERED}`,
  ],
  [
    'share_cgroups false outside a task group',
    (offer) =>
      dockerTask(offer, 't', {
        container: {
          type: 'DOCKER',
          docker: { image: 'busybox' },
          linux_info: { share_cgroups: false },
        },
      }),
    "Only tasks in a task group may have 'share_cgroups' set to 'false'",
  ],
];

describe.each(BOTH_ENCODINGS)('LAUNCH validation in %s', (contentType) => {
  async function offerFor(): Promise<{ scheduler: TestScheduler; offer: Offer }> {
    const scheduler = await TestScheduler.subscribe(emulator.schedulerUrl, { contentType });
    schedulers.push(scheduler);
    const [offer] = await nextOffers(scheduler);
    return { scheduler, offer: offer! };
  }

  it.each(TASK_CASES)('sends TASK_ERROR for %s', async (_name, build, message) => {
    const { scheduler, offer } = await offerFor();
    const task = build(offer);

    const reply = await launch(scheduler, [offer], [task]);
    const status = await scheduler.nextUpdate(task.task_id.value);

    expect(reply.status).toBe(202);
    expect(status.state).toBe('TASK_ERROR');
    expect(status.source).toBe('SOURCE_MASTER');
    expect(status.reason).toBe('REASON_TASK_INVALID');
    expect(status.message).toBe(message);
    expect(status.uuid).toBeUndefined();
    expect(status.agent_id).toEqual(task.agent_id);
    expect(emulator.control.tasks()).toEqual([]);
  });

  it('fails every task of a LAUNCH with an invalid resource', async () => {
    const { scheduler, offer } = await offerFor();
    const good = dockerTask(offer, 'good');
    const bad = dockerTask(offer, 'bad', { resources: [scalar('cpus', -1)] });

    await launch(scheduler, [offer], [good, bad]);
    const goodStatus = await scheduler.nextUpdate('good');
    const badStatus = await scheduler.nextUpdate('bad');

    for (const status of [goodStatus, badStatus]) {
      expect(status.state).toBe('TASK_ERROR');
      expect(status.reason).toBe('REASON_TASK_INVALID');
      expect(status.message).toBe(
        "Resource 'cpus:-1' is invalid: Invalid scalar resource: value <= 0",
      );
    }
  });

  it.each([
    [
      [ports([31005, 31000])],
      "Resource 'ports:[31005-31000]' is invalid: Invalid ranges resource: begin > end",
    ],
    [
      [
        {
          name: 'ports',
          type: 'RANGES',
          ranges: {
            range: [
              { begin: '31000', end: '31010' },
              { begin: '31005', end: '31006' },
            ],
          },
        },
      ],
      "Resource 'ports:[31000-31010, 31005-31006]' is invalid: Invalid ranges resource: overlapping ranges",
    ],
    [[{ name: 'notes', type: 'TEXT' }], "Resource 'notes:' is invalid: Unsupported resource type"],
    [[{ name: 'cpus', type: 'SCALAR' }], "Resource 'cpus:0' is invalid: Invalid scalar resource"],
  ] as Array<[Resource[], string]>)(
    'rejects malformed resources %#',
    async (resources, message) => {
      const { scheduler, offer } = await offerFor();

      await launch(scheduler, [offer], [dockerTask(offer, 't', { resources })]);
      const status = await scheduler.nextUpdate('t');

      expect(status.state).toBe('TASK_ERROR');
      expect(status.message).toBe(message);
    },
  );

  it('rejects an id on a LAUNCH operation', async () => {
    const { scheduler, offer } = await offerFor();

    await scheduler.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [
          {
            type: 'LAUNCH',
            id: { value: 'op-1' },
            launch: { task_infos: [dockerTask(offer, 't')] },
          },
        ],
      },
    });
    const status = await scheduler.nextUpdate('t');

    expect(status.state).toBe('TASK_ERROR');
    expect(status.message).toBe('The `id` field cannot be set on LAUNCH operations');
  });

  it('consumes resources task by task within one ACCEPT', async () => {
    const { scheduler, offer } = await offerFor();
    const first = dockerTask(offer, 'first', {
      resources: [scalar('cpus', 0.1), ports([31000, 31000])],
    });
    const samePort = dockerTask(offer, 'second', {
      resources: [scalar('cpus', 0.1), ports([31000, 31000])],
    });
    const sameId = dockerTask(offer, 'first');
    const tooMuch = dockerTask(offer, 'big', { resources: [scalar('cpus', 3.95)] });

    await launch(scheduler, [offer], [first, samePort, sameId, tooMuch]);
    const portStatus = await scheduler.nextUpdate('second');
    const idStatus = await scheduler.nextUpdate('first', 'TASK_ERROR');
    const bigStatus = await scheduler.nextUpdate('big');
    const firstStatus = await scheduler.nextUpdate('first', 'TASK_STARTING');

    expect(portStatus.message).toBe(
      'Total resources cpus(allocated: *):0.1; ports(allocated: *):[31000-31000] required by task and its executor is more than available cpus(allocated: *):3.9; mem(allocated: *):8192; disk(allocated: *):10000; ports(allocated: *):[31001-32000]',
    );
    expect(idStatus.message).toBe('Task has duplicate ID: first');
    expect(bigStatus.message).toContain(
      'required by task and its executor is more than available cpus(allocated: *):3.9;',
    );
    expect(firstStatus.source).toBe('SOURCE_EXECUTOR');
  });

  it('rejects the id of a task that is still known', async () => {
    const { scheduler, offer } = await offerFor();
    await launch(scheduler, [offer], [dockerTask(offer, 'same')], { refuse_seconds: 0 });
    await scheduler.nextUpdate('same', 'TASK_STARTING');
    emulator.control.allocate();
    const [again] = await nextOffers(scheduler);

    await launch(scheduler, [again!], [dockerTask(again!, 'same')]);
    const status = await scheduler.nextUpdate('same', 'TASK_ERROR');

    expect(status.message).toBe('Task has duplicate ID: same');
  });

  it('accepts resources with an explicit * role and matching allocation role', async () => {
    const { scheduler, offer } = await offerFor();
    const task = dockerTask(offer, 'explicit', {
      resources: [
        { ...scalar('cpus', 0.1), role: '*', allocation_info: { role: '*' } },
        { ...scalar('mem', 32), reservations: [] },
      ],
    });

    await launch(scheduler, [offer], [task]);
    const status = await scheduler.nextUpdate('explicit');

    expect(status.state).toBe('TASK_STARTING');
  });

  it('runs tasks on a custom executor and checks its ExecutorInfo', async () => {
    const { scheduler, offer } = await offerFor();
    const executor = {
      executor_id: { value: 'exec-1' },
      command: { value: './my-executor' },
      resources: [scalar('cpus', 0.1), scalar('mem', 32)],
    };
    const first = dockerTask(offer, 'first', { executor });
    const second = dockerTask(offer, 'second', { executor });
    const changed = dockerTask(offer, 'changed', {
      executor: { ...executor, command: { value: './other-executor' } },
    });
    for (const task of [first, second, changed]) {
      delete task.command;
      delete task.container;
    }

    await launch(scheduler, [offer], [first, second, changed]);
    const changedStatus = await scheduler.nextUpdate('changed');
    const firstStatus = await scheduler.nextUpdate('first');
    const secondStatus = await scheduler.nextUpdate('second');

    expect(changedStatus.state).toBe('TASK_ERROR');
    expect(changedStatus.message).toMatch(
      /^ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID\./,
    );
    expect(firstStatus.state).toBe('TASK_STARTING');
    expect(firstStatus.executor_id?.value).toBe('exec-1');
    expect(secondStatus.state).toBe('TASK_STARTING');
  });
});
