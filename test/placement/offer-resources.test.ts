import { describe, expect, it } from 'vitest';
import type { Resource } from '../../shared/mesos/types.js';
import { placeLaunches, readOfferResources } from '../../worker/placement/index.js';
import { fixedRandom, offer, pending, ports, scalar } from './fixtures.js';

const dynamicWeb = {
  type: 'DYNAMIC' as const,
  role: 'web',
  principal: 'ops',
  labels: { labels: [{ key: 'team', value: 'search' }] },
};

function resourcesOfOnlyTask(resources: Resource[], role: string, overrides = {}): Resource[] {
  const result = placeLaunches([pending(overrides)], [offer({ resources })], {
    role,
    random: fixedRandom(0),
  });

  expect(result.placements).toHaveLength(1);
  return result.placements[0]?.taskInfo.resources ?? [];
}

describe('offer resources', () => {
  it('copies a reserved role and reservation exactly', () => {
    const reservedCpus = scalar('cpus', 2, { role: 'web', reservation: { principal: 'ops' } });
    const reservedMem = scalar('mem', 512, { role: 'web', reservation: { principal: 'ops' } });
    const taken = resourcesOfOnlyTask([reservedCpus, reservedMem], 'web');

    expect(taken).toStrictEqual([
      {
        name: 'cpus',
        type: 'SCALAR',
        scalar: { value: 0.1 },
        role: 'web',
        reservation: { principal: 'ops' },
      },
      {
        name: 'mem',
        type: 'SCALAR',
        scalar: { value: 50 },
        role: 'web',
        reservation: { principal: 'ops' },
      },
    ]);
  });

  it('copies reservations and allocation_info exactly', () => {
    const metadata = { reservations: [dynamicWeb], allocation_info: { role: 'web' } };
    const offered: Resource[] = [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 8 }, ...metadata },
      { name: 'mem', type: 'SCALAR', scalar: { value: 8192 }, ...metadata },
      { name: 'disk', type: 'SCALAR', scalar: { value: 20000 }, ...metadata },
      {
        name: 'ports',
        type: 'RANGES',
        ranges: { range: [{ begin: '31000', end: '32000' }] },
        ...metadata,
      },
    ];

    const taken = resourcesOfOnlyTask(offered, 'web', {
      cpus: 1.5,
      mem: 256,
      disk: 100,
      network: 'bridge',
      ports: [{ container_port: 80, protocol: 'tcp' }],
    });

    expect(taken).toStrictEqual([
      { name: 'cpus', type: 'SCALAR', scalar: { value: 1.5 }, ...metadata },
      { name: 'mem', type: 'SCALAR', scalar: { value: 256 }, ...metadata },
      { name: 'disk', type: 'SCALAR', scalar: { value: 100 }, ...metadata },
      {
        name: 'ports',
        type: 'RANGES',
        ranges: { range: [{ begin: '31000', end: '31000' }] },
        ...metadata,
      },
    ]);
  });

  it('copies disk and provider_id exactly', () => {
    const pathDisk = scalar('disk', 1000, {
      disk: { source: { type: 'PATH', path: { root: '/mnt/a' } } },
      provider_id: { value: 'provider-1' },
    });
    const taken = resourcesOfOnlyTask([scalar('cpus', 1), scalar('mem', 100), pathDisk], '*', {
      disk: 10,
    });

    expect(taken[2]).toStrictEqual({ ...pathDisk, scalar: { value: 10 } });
  });

  it('takes reserved resources before unreserved ones', () => {
    const unreserved = scalar('cpus', 4);
    const reserved = scalar('cpus', 1, { role: 'web', reservation: { principal: 'ops' } });
    const taken = resourcesOfOnlyTask([unreserved, reserved, scalar('mem', 100)], 'web', {
      cpus: 1.5,
    });

    expect(taken.slice(0, 2)).toStrictEqual([
      { ...reserved, scalar: { value: 1 } },
      { ...unreserved, scalar: { value: 0.5 } },
    ]);
  });

  it('leaves the offer untouched', () => {
    const offered = [scalar('cpus', 4), scalar('mem', 100), ports([[31000, 31010]])];
    const copy = structuredClone(offered);
    resourcesOfOnlyTask(offered, '*', { ports: [{ host_port: 0, protocol: 'tcp' }] });

    expect(offered).toStrictEqual(copy);
  });

  it('skips resources reserved for another role', () => {
    const read = readOfferResources(
      offer({
        resources: [
          scalar('cpus', 2, { role: 'db' }),
          scalar('cpus', 3, { reservations: [{ type: 'STATIC', role: 'db' }] }),
          scalar('cpus', 1),
        ],
      }),
      'web',
      undefined,
    );

    expect(read.scalars.cpus.map((pool) => pool.freeMillis)).toEqual([1000]);
  });

  it('uses resources reserved for a parent role', () => {
    const parent = scalar('cpus', 2, { reservations: [{ type: 'STATIC', role: 'eng' }] });
    const read = readOfferResources(offer({ resources: [parent] }), 'eng/web', undefined);

    expect(read.scalars.cpus.map((pool) => pool.freeMillis)).toEqual([2000]);
  });

  it('skips resources allocated to another role', () => {
    const read = readOfferResources(
      offer({ resources: [scalar('cpus', 2, { allocation_info: { role: 'db' } })] }),
      'web',
      undefined,
    );

    expect(read.scalars.cpus).toEqual([]);
  });

  it('skips revocable, shared, volume and mount resources', () => {
    const read = readOfferResources(
      offer({
        resources: [
          scalar('cpus', 2, { revocable: {} }),
          scalar('disk', 100, { shared: {}, disk: { persistence: { id: 'v1' } } }),
          scalar('disk', 200, { disk: { persistence: { id: 'v2' } } }),
          scalar('disk', 300, { disk: { source: { type: 'MOUNT', mount: { root: '/mnt/b' } } } }),
          scalar('disk', 400),
        ],
      }),
      '*',
      undefined,
    );

    expect(read.scalars.cpus).toEqual([]);
    expect(read.scalars.disk.map((pool) => pool.freeMillis)).toEqual([400000]);
  });

  it('removes ports in use', () => {
    const read = readOfferResources(
      offer({ portRanges: [[31000, 31005]] }),
      '*',
      new Set([31000, 31003]),
    );

    expect(read.ports[0]?.free).toEqual([
      { begin: 31001, end: 31002 },
      { begin: 31004, end: 31005 },
    ]);
  });

  it('adds disk only when requested', () => {
    const offered = [scalar('cpus', 1), scalar('mem', 100), scalar('disk', 100)];
    const without = resourcesOfOnlyTask(offered, '*', { disk: 0 });
    const withDisk = resourcesOfOnlyTask(offered, '*', { disk: 25.5 });

    expect(without.map((resource) => resource.name)).toEqual(['cpus', 'mem']);
    expect(withDisk.map((resource) => resource.name)).toEqual(['cpus', 'mem', 'disk']);
    expect(withDisk[2]?.scalar?.value).toBe(25.5);
  });

  it('narrows each ports pool to its own ports', () => {
    const reservedPorts = ports([[31000, 31000]], {
      role: 'web',
      reservation: { principal: 'ops' },
    });
    const unreservedPorts = ports([[32000, 32001]]);
    const taken = resourcesOfOnlyTask(
      [scalar('cpus', 1), scalar('mem', 100), unreservedPorts, reservedPorts],
      'web',
      {
        ports: [
          { host_port: 0, protocol: 'tcp' },
          { host_port: 0, protocol: 'tcp' },
        ],
      },
    );

    expect(taken.slice(2)).toStrictEqual([
      { ...reservedPorts, ranges: { range: [{ begin: '31000', end: '31000' }] } },
      { ...unreservedPorts, ranges: { range: [{ begin: '32000', end: '32000' }] } },
    ]);
  });
});
