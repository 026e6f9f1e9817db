import { describe, expect, it } from 'vitest';
import type { Offer } from '../../shared/mesos/types.js';
import { placeLaunches, type PendingLaunch } from '../../worker/placement/index.js';
import { fixedRandom, offer, pending, scalar, taskPorts } from './fixtures.js';

/** A small deterministic generator (LCG) for tests that need varied random starts. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const bridgePorts = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    container_port: 8000 + index,
    protocol: 'tcp' as const,
  }));

describe('placeLaunches', () => {
  it('does not let an unfittable launch block others', () => {
    const big = pending({ cpus: 64 });
    const small = [pending(), pending()];
    const result = placeLaunches([big, ...small], [offer()], { role: '*' });

    expect(result.unplaced).toEqual([big]);
    expect(result.placements.map((placement) => placement.launch)).toEqual(small);
  });

  it('leaves a fixed port not offered unplaced', () => {
    const fixed = pending({ ports: [{ host_port: 8080, protocol: 'tcp' }] });
    const other = pending({ ports: [{ host_port: 0, protocol: 'tcp' }] });
    const result = placeLaunches([fixed, other], [offer()], { role: '*', random: fixedRandom(0) });

    expect(result.unplaced).toEqual([fixed]);
    expect(result.placements.map((placement) => placement.launch)).toEqual([other]);
  });

  it('gives a fixed port when offered', () => {
    const fixed = pending({
      network: 'bridge',
      ports: [{ container_port: 80, host_port: 31500, protocol: 'tcp' }],
    });
    const result = placeLaunches([fixed], [offer()], { role: '*', random: fixedRandom(0) });

    expect(result.placements[0]?.ports).toEqual([
      { container_port: 80, host_port: 31500, protocol: 'tcp' },
    ]);
    expect(taskPorts(result.placements[0]?.taskInfo.resources)).toEqual([31500]);
  });

  it('gives a fixed port to one launch only', () => {
    const first = pending({ ports: [{ host_port: 31500, protocol: 'tcp' }] });
    const second = pending({ ports: [{ host_port: 31500, protocol: 'tcp' }] });
    const result = placeLaunches([first, second], [offer()], { role: '*' });

    expect(result.placements.map((placement) => placement.launch)).toEqual([first]);
    expect(result.unplaced).toEqual([second]);
  });

  it('packs many launches into one offer without duplicate ports', () => {
    const launches = Array.from({ length: 334 }, () =>
      pending({ cpus: 0.01, mem: 1, network: 'bridge', ports: bridgePorts(3) }),
    );
    const result = placeLaunches(launches, [offer()], { role: '*', random: seededRandom(7) });

    expect(result.placements).toHaveLength(333);
    expect(result.unplaced).toEqual([launches[333]]);

    const chosen = result.placements.flatMap((placement) =>
      taskPorts(placement.taskInfo.resources),
    );
    expect(chosen).toHaveLength(999);
    expect(new Set(chosen).size).toBe(999);
    expect(chosen.every((port) => port >= 31000 && port <= 32000)).toBe(true);

    expect(result.accepts).toHaveLength(1);
    expect(result.accepts[0]?.offerIds).toEqual([{ value: 'offer-1' }]);
    expect(result.accepts[0]?.operations[0]?.launch?.task_infos).toHaveLength(333);
  });

  it('matches port mappings to the ports resource', () => {
    const launches = Array.from({ length: 50 }, () =>
      pending({ network: 'bridge', cpus: 0.01, mem: 1, ports: bridgePorts(2) }),
    );
    const result = placeLaunches(
      launches,
      [
        offer({
          portRanges: [
            [31000, 31010],
            [31020, 31020],
            [31100, 31300],
          ],
        }),
      ],
      {
        role: '*',
        random: seededRandom(3),
      },
    );

    expect(result.placements).toHaveLength(50);
    for (const placement of result.placements) {
      const mapped = placement.taskInfo.container?.docker?.port_mappings?.map(
        (mapping) => mapping.host_port,
      );
      expect(mapped).toEqual(placement.ports.map((port) => port.host_port));
      expect(taskPorts(placement.taskInfo.resources).sort()).toEqual([...(mapped ?? [])].sort());
    }
  });

  it('uses fragmented and single-port ranges fully', () => {
    const launches = Array.from({ length: 5 }, () =>
      pending({ ports: [{ host_port: 0, protocol: 'tcp' }] }),
    );
    const result = placeLaunches(
      launches,
      [
        offer({
          portRanges: [
            [31000, 31000],
            [31002, 31003],
            [31999, 32000],
          ],
        }),
      ],
      { role: '*', random: seededRandom(11) },
    );

    const chosen = result.placements.flatMap((placement) =>
      taskPorts(placement.taskInfo.resources),
    );
    expect(chosen.sort()).toEqual([31000, 31002, 31003, 31999, 32000]);
  });

  it('honours ports in use on the agent', () => {
    const inUse = new Set([31000, 31001, 31002]);
    const fixed = pending({ ports: [{ host_port: 31001, protocol: 'tcp' }] });
    const anyPort = pending({ ports: [{ host_port: 0, protocol: 'tcp' }] });
    const result = placeLaunches([fixed, anyPort], [offer({ portRanges: [[31000, 31005]] })], {
      role: '*',
      random: fixedRandom(0),
      portsInUse: (agentId) => (agentId === 'agent-1' ? inUse : undefined),
    });

    expect(result.unplaced).toEqual([fixed]);
    expect(result.placements[0]?.ports).toEqual([{ host_port: 31003, protocol: 'tcp' }]);
  });

  it('never repeats a port across offers of one agent', () => {
    const offers = [
      offer({ id: 'offer-1', cpus: 0.1, portRanges: [[31000, 31001]] }),
      offer({ id: 'offer-2', cpus: 1, portRanges: [[31000, 31001]] }),
    ];
    const launches = Array.from({ length: 3 }, () =>
      pending({ ports: [{ host_port: 0, protocol: 'tcp' }] }),
    );
    const result = placeLaunches(launches, offers, { role: '*', random: fixedRandom(0) });

    const chosen = result.placements.flatMap((placement) =>
      taskPorts(placement.taskInfo.resources),
    );
    expect(chosen).toEqual([31000, 31001]);
    expect(result.placements.map((placement) => placement.offer.id.value)).toEqual([
      'offer-1',
      'offer-2',
    ]);
    expect(result.unplaced).toEqual([launches[2]]);
  });

  it('sends one ACCEPT per agent with all its used offers', () => {
    const offers: Offer[] = [
      offer({ id: 'o1', agentId: 'agent-1', cpus: 0.2 }),
      offer({ id: 'o2', agentId: 'agent-1', cpus: 0.2 }),
      offer({ id: 'o3', agentId: 'agent-2', cpus: 0.2 }),
      offer({ id: 'o4', agentId: 'agent-3', cpus: 4 }),
      offer({ id: 'o5', agentId: 'agent-3', cpus: 4 }),
    ];
    const launches = Array.from({ length: 7 }, () => pending());
    const result = placeLaunches(launches, offers, { role: '*' });

    expect(result.accepts.map((accept) => accept.agentId)).toEqual([
      'agent-1',
      'agent-2',
      'agent-3',
    ]);
    expect(result.accepts.map((accept) => accept.offerIds.map((id) => id.value))).toEqual([
      ['o1', 'o2'],
      ['o3'],
      ['o4'],
    ]);

    const [first, second, third] = result.accepts;
    expect(first?.operations).toHaveLength(1);
    expect(first?.operations[0]?.type).toBe('LAUNCH');
    expect(first?.operations[0]?.launch?.task_infos?.map((task) => task.task_id)).toEqual(
      result.placements.slice(0, 4).map((placement) => placement.taskInfo.task_id),
    );
    expect(first?.operations[0]?.launch?.task_infos).toHaveLength(4);
    expect(second?.operations[0]?.launch?.task_infos).toHaveLength(2);
    expect(third?.operations[0]?.launch?.task_infos).toHaveLength(1);
    expect(result.unusedOffers).toEqual([{ value: 'o5' }]);
  });

  it('keeps each task on its agent', () => {
    const offers = [
      offer({ id: 'o1', agentId: 'agent-1', cpus: 0.1 }),
      offer({ id: 'o2', agentId: 'agent-2' }),
    ];
    const result = placeLaunches([pending(), pending()], offers, { role: '*' });

    for (const placement of result.placements) {
      expect(placement.taskInfo.agent_id).toEqual(placement.offer.agent_id);
    }
    expect(result.placements.map((placement) => placement.offer.id.value)).toEqual(['o1', 'o2']);
  });

  it('returns unused offers for decline', () => {
    const offers = [offer({ id: 'o1' }), offer({ id: 'o2', agentId: 'agent-2' })];
    const result = placeLaunches([pending()], offers, { role: '*' });

    expect(result.unusedOffers).toEqual([{ value: 'o2' }]);
  });

  it('declines every offer with nothing pending', () => {
    const result = placeLaunches([], [offer({ id: 'o1' })], { role: '*' });

    expect(result.placements).toEqual([]);
    expect(result.accepts).toEqual([]);
    expect(result.unusedOffers).toEqual([{ value: 'o1' }]);
  });

  it('keeps everything pending without offers', () => {
    const launches = [pending(), pending()];
    const result = placeLaunches(launches, [], { role: '*' });

    expect(result.unplaced).toEqual(launches);
    expect(result.unusedOffers).toEqual([]);
  });

  it('places the oldest launch first', () => {
    const launches = [pending({ cpus: 1 }), pending({ cpus: 1 }), pending({ cpus: 1 })];
    const result = placeLaunches(launches, [offer({ cpus: 2 })], { role: '*' });

    expect(result.placements.map((placement) => placement.launch)).toEqual(launches.slice(0, 2));
    expect(result.unplaced).toEqual([launches[2]]);
  });

  it('moves on to an offer with ports', () => {
    const offers = [
      offer({ id: 'no-ports', resources: [scalar('cpus', 4), scalar('mem', 4096)] }),
      offer({ id: 'with-ports', agentId: 'agent-2' }),
    ];
    const launch = pending({ ports: [{ host_port: 0, protocol: 'tcp' }] });
    const result = placeLaunches([launch], offers, { role: '*' });

    expect(result.placements[0]?.offer.id.value).toBe('with-ports');
  });

  it('fills gaps a larger launch left', () => {
    const offers = [
      offer({ id: 'o1', cpus: 1.5 }),
      offer({ id: 'o2', agentId: 'agent-2', cpus: 1 }),
    ];
    const launches: PendingLaunch[] = [
      pending({ cpus: 1 }),
      pending({ cpus: 1 }),
      pending({ cpus: 0.5 }),
    ];
    const result = placeLaunches(launches, offers, { role: '*' });

    expect(result.placements.map((placement) => placement.offer.id.value)).toEqual([
      'o1',
      'o2',
      'o1',
    ]);
  });

  it('places a repeated launch once', () => {
    const launch = pending();
    const result = placeLaunches([launch, { ...launch, attempt: 2 }], [offer()], { role: '*' });

    expect(result.placements).toHaveLength(1);
    expect(result.unplaced).toHaveLength(1);
  });

  it('keeps repeated unfittable shapes unplaced', () => {
    const launches = [pending({ cpus: 8 }), pending(), pending({ cpus: 8 })];
    const result = placeLaunches(launches, [offer()], { role: '*' });

    expect(result.unplaced).toEqual([launches[0], launches[2]]);
    expect(result.placements).toHaveLength(1);
  });
});
