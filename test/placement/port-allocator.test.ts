import { describe, expect, it } from 'vitest';
import type { PortRequest } from '../../shared/launch/types.js';
import { pickHostPorts, type PortRange } from '../../worker/placement/index.js';
import { fixedRandom } from './fixtures.js';

const any = (count: number): PortRequest[] =>
  Array.from({ length: count }, () => ({ container_port: 80, protocol: 'tcp' }));

const ten: PortRange[] = [{ begin: 31000, end: 31009 }];

describe('pickHostPorts', () => {
  it('starts at the first port with random 0', () => {
    expect(pickHostPorts([ten], any(2), fixedRandom(0))).toEqual([31000, 31001]);
  });

  it('starts at a random position', () => {
    expect(pickHostPorts([ten], any(2), fixedRandom(0.5))).toEqual([31005, 31006]);
  });

  it('wraps around past the last port', () => {
    expect(pickHostPorts([ten], any(3), fixedRandom(0.95))).toEqual([31009, 31000, 31001]);
  });

  it('stays inside the ranges with random close to 1', () => {
    expect(pickHostPorts([ten], any(1), fixedRandom(0.9999999999))).toEqual([31009]);
  });

  it('walks fragmented and single-port ranges', () => {
    const fragmented: PortRange[] = [
      { begin: 31000, end: 31000 },
      { begin: 31005, end: 31006 },
      { begin: 31999, end: 31999 },
    ];

    expect(pickHostPorts([fragmented], any(4), fixedRandom(0.5))).toEqual([
      31006, 31999, 31000, 31005,
    ]);
  });

  it('walks every offered pool', () => {
    const reserved: PortRange[] = [{ begin: 31000, end: 31000 }];
    const unreserved: PortRange[] = [{ begin: 32000, end: 32001 }];

    expect(pickHostPorts([reserved, unreserved], any(3), fixedRandom(0))).toEqual([
      31000, 32000, 32001,
    ]);
  });

  it('rejects more ports than are free', () => {
    expect(pickHostPorts([ten], any(11), fixedRandom(0))).toBeUndefined();
    expect(pickHostPorts([], any(1), fixedRandom(0))).toBeUndefined();
  });

  it('returns nothing for no requests', () => {
    expect(pickHostPorts([], [], fixedRandom(0))).toEqual([]);
  });

  it('gives a fixed port when offered', () => {
    const requests: PortRequest[] = [{ container_port: 80, host_port: 31007, protocol: 'tcp' }];
    expect(pickHostPorts([ten], requests, fixedRandom(0))).toEqual([31007]);
  });

  it('rejects a fixed port not offered', () => {
    const requests: PortRequest[] = [{ container_port: 80, host_port: 8080, protocol: 'tcp' }];
    expect(pickHostPorts([ten], requests, fixedRandom(0))).toBeUndefined();
  });

  it('keeps random picks off fixed ports', () => {
    const requests: PortRequest[] = [
      { container_port: 80, protocol: 'tcp' },
      { container_port: 443, host_port: 31000, protocol: 'tcp' },
      { container_port: 8080, protocol: 'tcp' },
    ];

    expect(pickHostPorts([ten], requests, fixedRandom(0))).toEqual([31001, 31000, 31002]);
  });

  it('shares a fixed port between tcp and udp', () => {
    const requests: PortRequest[] = [
      { container_port: 53, host_port: 31003, protocol: 'tcp' },
      { container_port: 53, host_port: 31003, protocol: 'udp' },
    ];

    expect(pickHostPorts([ten], requests, fixedRandom(0))).toEqual([31003, 31003]);
  });

  it('rejects a fixed port twice with one protocol', () => {
    const requests: PortRequest[] = [
      { container_port: 80, host_port: 31003, protocol: 'tcp' },
      { container_port: 81, host_port: 31003, protocol: 'tcp' },
    ];

    expect(pickHostPorts([ten], requests, fixedRandom(0))).toBeUndefined();
  });

  it('never picks a port twice', () => {
    const picked = pickHostPorts([ten], any(10), fixedRandom(0.3));
    expect(picked).toBeDefined();
    expect(new Set(picked).size).toBe(10);
  });
});
