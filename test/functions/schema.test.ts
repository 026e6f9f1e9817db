import { describe, expect, it } from 'vitest';
import { parseImageReference } from '../../shared/launch/image-reference.js';
import {
  LAUNCH_REQUEST_FIELDS,
  launchRequestSchema,
  parseLaunchRequest,
} from '../../shared/launch/schema.js';
import { DIGEST, INVALID_BODIES, VALID_BODIES } from './support/launch-requests.js';

describe('launch request schema', () => {
  it('applies the defaults', () => {
    const result = parseLaunchRequest({ image: 'centos:6.6' });

    expect(result).toEqual({
      ok: true,
      request: {
        image: 'centos:6.6',
        network: 'host',
        ports: [],
        cpus: 0.1,
        mem: 50,
        disk: 0,
        env: {},
        labels: {},
        force_pull_image: false,
      },
    });
  });

  it('defaults the port protocol to tcp', () => {
    const result = parseLaunchRequest({
      image: 'x',
      network: 'bridge',
      ports: [{ container_port: 8888 }],
    });

    expect(result.ok && result.request.ports).toEqual([{ container_port: 8888, protocol: 'tcp' }]);
  });

  it.each(VALID_BODIES)('accepts $name', ({ body }) => {
    const result = parseLaunchRequest(body);

    expect(result.ok ? [] : result.invalidFields).toEqual([]);
  });

  it.each(INVALID_BODIES)('rejects: $rule', ({ body, field }) => {
    const result = parseLaunchRequest(body);

    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.invalidFields;
    expect(fields.map((invalid) => invalid.field)).toEqual([field]);
    expect(fields[0]?.message).not.toBe('');
    expect(fields[0]?.fix).not.toBe('');
  });

  it('reports every invalid field at once', () => {
    const result = parseLaunchRequest({
      imgae: 'centos',
      cpus: 'lots',
      network: 'bridge',
      network_name: 'app-net',
      ports: [{ host_port: 80 }, { container_port: 70_000 }],
      env: { MESOS_X: '1', OK: 2 },
      command: 'ls',
      args: ['-l'],
    });

    const fields = result.ok ? [] : result.invalidFields.map((invalid) => invalid.field).sort();
    expect(fields).toEqual(
      [
        'args',
        'cpus',
        'env.MESOS_X',
        'env.OK',
        'image',
        'imgae',
        'network_name',
        'ports[0].container_port',
        'ports[1].container_port',
      ].sort(),
    );
  });

  it('suggests the field a typo meant', () => {
    const result = parseLaunchRequest({ image: 'x', netwrok: 'bridge' });

    const fix = result.ok ? '' : (result.invalidFields[0]?.fix ?? '');
    expect(fix).toContain('did you mean "network"?');
  });

  it('names the unknown field of a port', () => {
    const result = parseLaunchRequest({ image: 'x', ports: [{ host_port: 1, protocl: 'udp' }] });

    const invalid = result.ok ? undefined : result.invalidFields[0];
    expect(invalid?.field).toBe('ports[0].protocl');
    expect(invalid?.fix).toContain('did you mean "protocol"?');
  });

  it('says a missing field is required', () => {
    const result = parseLaunchRequest({});

    expect(result.ok ? undefined : result.invalidFields[0]?.message).toBe('is required');
  });

  it('lists its known fields', () => {
    expect(LAUNCH_REQUEST_FIELDS).toContain('timeout_seconds');
    expect(LAUNCH_REQUEST_FIELDS).toHaveLength(14);
  });

  it('rejects a job payload through parse', () => {
    expect(() => launchRequestSchema.parse({ image: 'x', network: 'user' })).toThrow(
      /network_name/,
    );
  });
});

describe('image reference', () => {
  it('splits registry, repository, tag and digest', () => {
    const result = parseImageReference(`ugistry.ucloud.cn:5000/library/centos:6.6@${DIGEST}`);

    expect(result).toEqual({
      ok: true,
      reference: {
        registry: 'ugistry.ucloud.cn:5000',
        repository: 'library/centos',
        tag: '6.6',
        digest: DIGEST,
      },
    });
  });

  it('treats a first component without dot as path', () => {
    const result = parseImageReference('library/centos');

    expect(result).toEqual({ ok: true, reference: { repository: 'library/centos' } });
  });

  it('treats localhost as a registry', () => {
    const result = parseImageReference('localhost/app');

    expect(result.ok).toBe(true);
    expect(result.ok ? result.reference.registry : undefined).toBe('localhost');
  });

  it('reads a bare port-like suffix as a tag', () => {
    const result = parseImageReference('localhost:5000');

    expect(result.ok).toBe(true);
    expect(result.ok ? result.reference : undefined).toEqual({
      repository: 'localhost',
      tag: '5000',
    });
  });

  it('accepts sha512 digests', () => {
    expect(parseImageReference(`app@sha512:${'b'.repeat(128)}`).ok).toBe(true);
  });

  it.each(['', ' ', 'UPPER', 'a/', '/a', 'a:', 'a@', 'a@sha256:', 'a__-b', 'a..b', 'host:port/x'])(
    'rejects "%s"',
    (text) => {
      expect(parseImageReference(text).ok).toBe(false);
    },
  );

  it('rejects __proto__ as a digest algorithm', () => {
    expect(parseImageReference(`a@__proto__:${'a'.repeat(64)}`).ok).toBe(false);
  });
});
