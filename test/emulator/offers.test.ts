import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../emulator/index.js';
import type { FrameworkInfo, MesosContentType, Offer } from '../../shared/mesos/index.js';
import { BOTH_ENCODINGS, startTestEmulator } from './support/emulator.js';
import { TestScheduler, frameworkInfo, testDispatcher } from './support/scheduler-driver.js';
import { dockerTask, launch, launchRunning, nextOffers, scalar } from './support/tasks.js';

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
  const scheduler = await TestScheduler.subscribe(target.schedulerUrl, {
    contentType,
    info,
    ...(suppressedRoles !== undefined ? { suppressedRoles } : {}),
  });
  schedulers.push(scheduler);
  return scheduler;
}

function offerCount(scheduler: TestScheduler): number {
  return scheduler.events.filter((event) => event.type === 'OFFERS').length;
}

afterEach(async () => {
  schedulers.splice(0).forEach((scheduler) => scheduler.close());
  await emulator?.stop();
  emulator = undefined;
});

afterAll(async () => {
  await testDispatcher.close();
});

describe.each(BOTH_ENCODINGS)('offers in %s', (contentType) => {
  it('offers each agent whole in one OFFERS event', async () => {
    const target = await start({
      masterId: 'm1',
      agents: [
        {
          hostname: 'a1',
          ip: '127.0.1.1',
          cpus: 2,
          memMb: 1024,
          diskMb: 500,
          ports: [
            { begin: 31000, end: 31005 },
            { begin: 31010, end: 31020 },
          ],
          attributes: { rack: 'r1', size: 3 },
          dockerNetworks: ['bridge'],
        },
        {
          hostname: 'a2',
          ip: '127.0.1.2',
          cpus: 1,
          memMb: 512,
          diskMb: 0,
          ports: [],
          dockerNetworks: [],
        },
      ],
    });
    const scheduler = await subscribe(target, contentType);

    const offers = await nextOffers(scheduler);

    expect(offers).toHaveLength(2);
    expect(offers[0]).toEqual({
      id: { value: 'm1-O0' },
      framework_id: { value: 'm1-0000' },
      agent_id: { value: 'm1-S0' },
      hostname: 'a1',
      url: {
        scheme: 'http',
        address: { hostname: 'a1', ip: '127.0.1.1', port: 5051 },
        path: '/slave(1)',
      },
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 2 }, role: '*' },
        { name: 'mem', type: 'SCALAR', scalar: { value: 1024 }, role: '*' },
        { name: 'disk', type: 'SCALAR', scalar: { value: 500 }, role: '*' },
        {
          name: 'ports',
          type: 'RANGES',
          ranges: {
            range: [
              { begin: '31000', end: '31005' },
              { begin: '31010', end: '31020' },
            ],
          },
          role: '*',
        },
      ],
      attributes: [
        { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
        { name: 'size', type: 'SCALAR', scalar: { value: 3 } },
      ],
    });
    expect(offers[1]?.resources?.map((resource) => resource.name)).toEqual(['cpus', 'mem']);
  });

  it('adds allocation_info for MULTI_ROLE and drops role for RESERVATION_REFINEMENT', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(
      target,
      contentType,
      frameworkInfo({
        roles: ['web'],
        capabilities: [{ type: 'MULTI_ROLE' }, { type: 'RESERVATION_REFINEMENT' }],
      }),
    );

    const [offer] = await nextOffers(scheduler);

    expect(offer?.allocation_info).toEqual({ role: 'web' });
    expect(offer?.resources?.[0]).toEqual({
      name: 'cpus',
      type: 'SCALAR',
      scalar: { value: 4 },
      allocation_info: { role: 'web' },
    });
  });

  it('hides declined resources behind the default 5 s filter until REVIVE', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(target, contentType);
    const [offer] = await nextOffers(scheduler);

    const reply = await scheduler.call({ type: 'DECLINE', decline: { offer_ids: [offer!.id] } });
    target.control.allocate();
    target.control.allocate();
    const whileFiltered = target.control.offers().length;
    await scheduler.call({ type: 'REVIVE' });
    const [revived] = await nextOffers(scheduler);

    expect(reply.status).toBe(202);
    expect(whileFiltered).toBe(0);
    expect(revived?.agent_id).toEqual(offer!.agent_id);
    expect(revived?.id).not.toEqual(offer!.id);
  });

  it('offers again at once after a decline with refuse_seconds 0', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(target, contentType);
    const [offer] = await nextOffers(scheduler);

    await scheduler.call({
      type: 'DECLINE',
      decline: { offer_ids: [offer!.id], filters: { refuse_seconds: 0 } },
    });
    target.control.allocate();
    const [again] = await nextOffers(scheduler);

    expect(again?.agent_id).toEqual(offer!.agent_id);
  });

  it('lets a refuse filter expire', async () => {
    const target = await start({ agents: 1, allocationIntervalMs: 20 });
    const scheduler = await subscribe(target, contentType);
    const [offer] = await nextOffers(scheduler);

    await scheduler.call({
      type: 'DECLINE',
      decline: { offer_ids: [offer!.id], filters: { refuse_seconds: 0.2 } },
    });
    const [again] = await nextOffers(scheduler);

    expect(again?.agent_id).toEqual(offer!.agent_id);
  });

  it('filters resources left by ACCEPT for 5 s when filters are unset', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(target, contentType);
    const [offer] = await nextOffers(scheduler);
    await launchRunning(scheduler, offer!, dockerTask(offer!, 'small'));

    target.control.allocate();
    const whileFiltered = target.control.offers().length;
    target.control.finishTask('small');
    await scheduler.nextUpdate('small', 'TASK_FINISHED');
    target.control.allocate();
    const [afterFinish] = await nextOffers(scheduler);

    expect(whileFiltered).toBe(0);
    expect(
      afterFinish?.resources?.find((resource) => resource.name === 'cpus')?.scalar?.value,
    ).toBe(4);
  });

  it('offers the rest of an ACCEPT again with refuse_seconds 0', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(target, contentType);
    const [offer] = await nextOffers(scheduler);

    await launch(scheduler, [offer!], [dockerTask(offer!, 'small')], { refuse_seconds: 0 });
    target.control.allocate();
    const [rest] = await nextOffers(scheduler);

    expect(rest?.resources?.find((resource) => resource.name === 'cpus')?.scalar?.value).toBe(3.9);
    expect(rest?.resources?.find((resource) => resource.name === 'mem')?.scalar?.value).toBe(8160);
  });

  it('keeps outstanding offers valid after SUPPRESS', async () => {
    const target = await start({ agents: 2 });
    const scheduler = await subscribe(target, contentType);
    const [first, second] = await nextOffers(scheduler);

    await scheduler.call({ type: 'SUPPRESS' });
    await scheduler.call({
      type: 'DECLINE',
      decline: { offer_ids: [first!.id], filters: { refuse_seconds: 0 } },
    });
    target.control.allocate();
    const offersWhileSuppressed = offerCount(scheduler);
    await launch(scheduler, [second!], [dockerTask(second!, 'after-suppress')]);
    const starting = await scheduler.nextUpdate('after-suppress');
    await scheduler.call({ type: 'REVIVE' });
    const revived = await nextOffers(scheduler);

    expect(offersWhileSuppressed).toBe(1);
    expect(starting.state).toBe('TASK_STARTING');
    expect(revived.map((offer) => offer.agent_id.value)).toContain(first!.agent_id.value);
  });

  it('honours suppressed_roles at SUBSCRIBE until REVIVE', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(target, contentType, frameworkInfo({ role: 'web' }), ['web']);

    target.control.allocate();
    const suppressed = offerCount(scheduler);
    await scheduler.call({ type: 'REVIVE', revive: { roles: ['web'] } });
    const offers = await nextOffers(scheduler);

    expect(suppressed).toBe(0);
    expect(offers).toHaveLength(1);
  });

  it('drops a REVIVE naming a role the framework lacks', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(target, contentType, frameworkInfo({ role: 'web' }), ['web']);

    const reply = await scheduler.call({ type: 'REVIVE', revive: { roles: ['web', 'db'] } });
    target.control.allocate();

    expect(reply.status).toBe(202);
    expect(offerCount(scheduler)).toBe(0);
  });

  it('ignores a DECLINE of an offer that is no longer valid', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(target, contentType);
    // The first allocation runs after SUBSCRIBED, so the offer exists once OFFERS arrives.
    await nextOffers(scheduler);

    const reply = await scheduler.call({
      type: 'DECLINE',
      decline: { offer_ids: [{ value: 'stale' }] },
    });

    expect(reply.status).toBe(202);
    expect(target.control.offers()).toHaveLength(1);
  });

  it('does not offer an agent below the minimum allocatable resources', async () => {
    const target = await start({
      agents: [
        {
          hostname: 'tiny',
          ip: '127.0.1.9',
          cpus: 0.005,
          memMb: 16,
          diskMb: 100,
          ports: [],
          dockerNetworks: [],
        },
      ],
    });
    const scheduler = await subscribe(target, contentType);

    target.control.allocate();

    expect(offerCount(scheduler)).toBe(0);
  });
});

describe.each(BOTH_ENCODINGS)('invalid offers in ACCEPT in %s', (contentType) => {
  async function acceptLost(
    target: Emulator,
    scheduler: TestScheduler,
    offers: Offer[],
    taskId: string,
  ): Promise<NonNullable<Awaited<ReturnType<TestScheduler['nextUpdate']>>>> {
    const agentOffer = offers[0] ?? (await nextOffers(scheduler))[0]!;
    const reply = await launch(scheduler, offers, [dockerTask(agentOffer, taskId)]);
    expect(reply.status).toBe(202);
    void target;
    return scheduler.nextUpdate(taskId);
  }

  it('uses an offer id only once', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(target, contentType);
    const [offer] = await nextOffers(scheduler);
    await launch(scheduler, [offer!], [dockerTask(offer!, 'first')]);

    const status = await acceptLost(target, scheduler, [offer!], 'second');

    expect(status.state).toBe('TASK_LOST');
    expect(status.source).toBe('SOURCE_MASTER');
    expect(status.reason).toBe('REASON_INVALID_OFFERS');
    expect(status.message).toBe(
      `Task launched with invalid offers: Offer ${offer!.id.value} is no longer valid`,
    );
    expect(status.uuid).toBeUndefined();
    expect(status.agent_id).toEqual(offer!.agent_id);
  });

  it('drops tasks of PARTITION_AWARE frameworks', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(
      target,
      contentType,
      frameworkInfo({ capabilities: [{ type: 'PARTITION_AWARE' }] }),
    );
    const [offer] = await nextOffers(scheduler);
    await scheduler.call({ type: 'DECLINE', decline: { offer_ids: [offer!.id] } });

    const status = await acceptLost(target, scheduler, [offer!], 'dropped');

    expect(status.state).toBe('TASK_DROPPED');
    expect(status.reason).toBe('REASON_INVALID_OFFERS');
  });

  it('rejects offers of two agents and returns them unfiltered', async () => {
    const target = await start({ agents: 2 });
    const scheduler = await subscribe(target, contentType);
    const offers = await nextOffers(scheduler);

    const status = await acceptLost(target, scheduler, offers, 'two-agents');
    target.control.allocate();
    const again = await nextOffers(scheduler);

    expect(status.message).toBe(
      `Task launched with invalid offers: Aggregated offers must belong to one single agent. Offer ${offers[1]!.id.value} uses agent ${offers[1]!.agent_id.value} and agent ${offers[0]!.agent_id.value}`,
    );
    expect(again).toHaveLength(2);
  });

  it('rejects a duplicate offer id', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(target, contentType);
    const [offer] = await nextOffers(scheduler);

    const status = await acceptLost(target, scheduler, [offer!, offer!], 'duplicate');

    expect(status.message).toBe(
      `Task launched with invalid offers: Duplicate offer ${offer!.id.value} in offer list`,
    );
  });

  it('rejects an ACCEPT without offers', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(target, contentType);
    const [offer] = await nextOffers(scheduler);

    const reply = await scheduler.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [dockerTask(offer!, 'none')] } }],
      },
    });
    const status = await scheduler.nextUpdate('none');

    expect(reply.status).toBe(202);
    expect(status.message).toBe('Task launched with invalid offers: No offers specified');
  });

  it("rejects another framework's offer", async () => {
    const target = await start({ agents: 1 });
    const owner = await subscribe(target, contentType);
    const [offer] = await nextOffers(owner);
    const other = await subscribe(target, contentType, frameworkInfo({ name: 'other' }));

    const reply = await launch(other, [offer!], [dockerTask(offer!, 'stolen')]);
    const status = await other.nextUpdate('stolen');

    expect(reply.status).toBe(202);
    expect(status.message).toBe(
      `Task launched with invalid offers: Offer ${offer!.id.value} has invalid framework ${owner.frameworkId} while framework ${other.frameworkId} is expected`,
    );
  });

  it('treats an ACCEPT without operations as a DECLINE', async () => {
    const target = await start({ agents: 1 });
    const scheduler = await subscribe(target, contentType);
    const [offer] = await nextOffers(scheduler);

    await scheduler.call({ type: 'ACCEPT', accept: { offer_ids: [offer!.id], operations: [] } });
    target.control.allocate();

    expect(target.control.offers()).toEqual([]);
    expect(
      target.control.agents()[0]?.available.find((resource) => resource.name === 'cpus'),
    ).toEqual(scalarWithRole('cpus', 4));
  });
});

function scalarWithRole(name: string, value: number): ReturnType<typeof scalar> {
  return { ...scalar(name, value), role: '*' };
}

describe('allocation across agents', () => {
  it('offers a new agent soon after it is added', async () => {
    const target = await start({ agents: 0 });
    const scheduler = await subscribe(target, 'application/json');

    const added = target.control.addAgent({ hostname: 'late' });
    const [offer] = await nextOffers(scheduler);

    expect(offer?.agent_id.value).toBe(added.id);
    expect(offer?.hostname).toBe('late');
  });

  it('offers resources one framework declined to another', async () => {
    const target = await start({ agents: 2 });
    const first = await subscribe(target, 'application/json');
    const declined = await nextOffers(first);
    const second = await subscribe(target, 'application/json', frameworkInfo({ name: 'second' }));

    await first.call({
      type: 'DECLINE',
      decline: { offer_ids: declined.map((offer) => offer.id) },
    });
    target.control.allocate();
    const offers = await nextOffers(second);

    expect(offers.map((offer) => offer.agent_id.value).sort()).toEqual(
      declined.map((offer) => offer.agent_id.value).sort(),
    );
  });
});
