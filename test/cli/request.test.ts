import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/errors.js';
import { toCliOptions } from '../../cli/options.js';
import { parseArguments } from '../../cli/parse-arguments.js';
import { buildRequestBody, type LaunchRequestBody } from '../../cli/request.js';
import { validateRequestBody } from '../../cli/validate-request.js';
import { originArguments, type OriginMode } from './support/origin-command-lines.js';

function bodyOf(argv: string[]): LaunchRequestBody {
  const parsed = parseArguments(argv);
  if (parsed.help) {
    throw new Error('expected flags, got a help request');
  }

  return buildRequestBody(toCliOptions(parsed.flags, {}).launch);
}

function validationMessage(argv: string[]): string {
  try {
    validateRequestBody(bodyOf(argv));
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }

  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

const BASE = ['-master', '127.0.0.1:5050', '-image', 'centos:6.6'];

describe('buildRequestBody', () => {
  const expectedBodies: Record<OriginMode, LaunchRequestBody> = {
    host: {
      image: 'ugistry.ucloud.cn/library/centos:6.6',
      command: 'ifconfig && sleep 600',
      network: 'host',
      cpus: 0.1,
      mem: 50,
      timeout_seconds: 120,
    },
    bridge: {
      image: 'ugistry.ucloud.cn/library/centos:6.6',
      command: 'ifconfig && sleep 3000',
      network: 'bridge',
      ports: [{ container_port: 8888 }],
      cpus: 0.1,
      mem: 50,
      timeout_seconds: 120,
    },
    none: {
      image: 'ugistry.ucloud.cn/library/centos:6.6',
      command: 'ifconfig && sleep 600',
      network: 'none',
      cpus: 0.1,
      mem: 50,
      timeout_seconds: 120,
    },
    user: {
      image: 'ugistry.ucloud.cn/library/centos:6.6',
      command: 'ifconfig && sleep 600',
      network: 'user',
      network_name: 'app-net',
      cpus: 0.1,
      mem: 50,
      timeout_seconds: 120,
    },
  };

  it.each(['host', 'bridge', 'none', 'user'] as const)('builds the %s example', (mode) => {
    expect(bodyOf(originArguments(mode))).toEqual(expectedBodies[mode]);
  });

  it.each(['host', 'bridge', 'none', 'user'] as const)('validates the %s example', (mode) => {
    const request = validateRequestBody(bodyOf(originArguments(mode)));

    expect(request.network).toBe(mode);
    expect(request.image).toBe('ugistry.ucloud.cn/library/centos:6.6');
  });

  it('maps bridge -expose 8888 to a container port', () => {
    const request = validateRequestBody(bodyOf([...BASE, '-network', 'bridge', '-expose', '8888']));

    expect(request.ports).toEqual([{ container_port: 8888, protocol: 'tcp' }]);
  });

  it('maps user -expose with a protocol', () => {
    const body = bodyOf([
      ...BASE,
      '-network',
      'user',
      '-networkName',
      'app-net',
      '-expose',
      '53/udp',
    ]);

    expect(body.ports).toEqual([{ container_port: 53, protocol: 'udp' }]);
  });

  it('maps host -expose to a host port', () => {
    const body = bodyOf([...BASE, '-expose', '31005', '-expose', '0']);

    expect(body.ports).toEqual([{ host_port: 31005 }, { host_port: 0 }]);
  });

  it('omits the command without -cmd', () => {
    const request = validateRequestBody(bodyOf(BASE));

    expect(request.command).toBeUndefined();
  });

  it('carries resources, env, name and timeout', () => {
    const body = bodyOf([
      ...BASE,
      '-cpus=0.5',
      '-mem=128',
      '-disk=10',
      '-env=A=1',
      '-name=web',
      '-timeout=30',
    ]);

    expect(body).toEqual({
      image: 'centos:6.6',
      network: 'host',
      cpus: 0.5,
      mem: 128,
      disk: 10,
      env: { A: '1' },
      name: 'web',
      timeout_seconds: 30,
    });
  });
});

describe('validateRequestBody', () => {
  it('rejects -networkName without user', () => {
    const message = validationMessage([...BASE, '-network', 'bridge', '-networkName', 'app-net']);

    expect(message).toMatch(
      /^invalid -networkName: network_name is only allowed with network "user"/,
    );
  });

  it('rejects user without -networkName', () => {
    expect(validationMessage([...BASE, '-network', 'user'])).toMatch(/^invalid -networkName: /);
  });

  it('rejects -expose with none', () => {
    expect(validationMessage([...BASE, '-network', 'none', '-expose', '8888'])).toMatch(
      /^invalid -expose: ports must be empty with network "none"/,
    );
  });

  it('rejects a duplicate -expose', () => {
    expect(
      validationMessage([...BASE, '-network', 'bridge', '-expose', '80', '-expose', '80']),
    ).toMatch(/^invalid -expose: /);
  });

  it('rejects an invalid image', () => {
    expect(validationMessage(['-master', 'm:5050', '-image', 'Not An Image'])).toMatch(
      /^invalid -image: /,
    );
  });

  it('rejects memory below the Mesos minimum', () => {
    expect(validationMessage([...BASE, '-mem', '16'])).toMatch(/^invalid -mem: /);
  });

  it('rejects a fractional -timeout', () => {
    expect(validationMessage([...BASE, '-timeout', '1.5'])).toMatch(/^invalid -timeout: /);
  });

  it('rejects a reserved -env name', () => {
    expect(validationMessage([...BASE, '-env', 'MESOS_SANDBOX=/x'])).toMatch(/^invalid -env: /);
  });
});
