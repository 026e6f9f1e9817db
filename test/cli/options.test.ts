import { describe, expect, it } from 'vitest';
import { EXIT_CODES, UsageError } from '../../cli/errors.js';
import { helpText } from '../../cli/help.js';
import { FLAG_SPECS } from '../../cli/flag-specs.js';
import { toCliOptions, type CliOptions } from '../../cli/options.js';
import { parseArguments } from '../../cli/parse-arguments.js';
import { originArguments } from './support/origin-command-lines.js';

function optionsOf(argv: string[], environment: NodeJS.ProcessEnv = {}): CliOptions {
  const parsed = parseArguments(argv);
  if (parsed.help) {
    throw new Error('expected flags, got a help request');
  }

  return toCliOptions(parsed.flags, environment);
}

function usageMessage(argv: string[], environment: NodeJS.ProcessEnv = {}): string {
  try {
    optionsOf(argv, environment);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(EXIT_CODES.usage);
    return (error as UsageError).message;
  }

  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

const MASTER = ['-master', '127.0.0.1:5050'];

describe('toCliOptions', () => {
  it('applies the defaults', () => {
    const options = optionsOf([...MASTER, '-image', 'centos']);

    expect(options.launch).toEqual({
      image: 'centos',
      command: undefined,
      network: 'host',
      networkName: undefined,
      expose: [],
      cpus: 0.1,
      memMb: 50,
      diskMb: 0,
      env: {},
      name: undefined,
      timeoutSeconds: 120,
    });
    expect(options.target).toEqual({
      kind: 'direct',
      masters: ['127.0.0.1:5050'],
      contentType: 'protobuf',
      credentials: undefined,
      role: '*',
      user: 'root',
      failoverTimeoutSeconds: 604_800,
    });
  });

  it('reads the bridge example verbatim', () => {
    const options = optionsOf(originArguments('bridge'));

    expect(options.target).toMatchObject({ kind: 'direct', masters: ['192.168.56.23:5050'] });
    expect(options.launch).toMatchObject({
      image: 'ugistry.ucloud.cn/library/centos:6.6',
      network: 'bridge',
      expose: [{ port: 8888 }],
      command: 'ifconfig && sleep 3000',
    });
  });

  it('splits a list of masters', () => {
    const options = optionsOf(['-master', 'm1:5050, http://m2:5050', '-image', 'x']);

    expect(options.target).toMatchObject({ masters: ['m1:5050', 'http://m2:5050'] });
  });

  it('reads protocols on -expose', () => {
    const options = optionsOf([
      ...MASTER,
      '-image',
      'x',
      '-network',
      'bridge',
      '-expose',
      '53/UDP',
      '-expose',
      '80/tcp',
    ]);

    expect(options.launch.expose).toEqual([
      { port: 53, protocol: 'udp' },
      { port: 80, protocol: 'tcp' },
    ]);
  });

  it('reads -env pairs', () => {
    const options = optionsOf([
      ...MASTER,
      '-image',
      'x',
      '-env',
      'A=1',
      '-env',
      'B=x=y',
      '-env',
      'C=',
    ]);

    expect(options.launch.env).toEqual({ A: '1', B: 'x=y', C: '' });
  });

  it('reads the direct-mode flags', () => {
    const options = optionsOf([
      ...MASTER,
      '-image=x',
      '-role=web',
      '-user=nobody',
      '-contentType=json',
      '-principal=ops',
      '-secret=s3cret',
      '-failoverTimeout=60',
    ]);

    expect(options.target).toEqual({
      kind: 'direct',
      masters: ['127.0.0.1:5050'],
      contentType: 'json',
      credentials: { principal: 'ops', secret: 's3cret' },
      role: 'web',
      user: 'nobody',
      failoverTimeoutSeconds: 60,
    });
  });

  it('takes credentials from the environment', () => {
    const options = optionsOf([...MASTER, '-image', 'x'], {
      MESOS_PRINCIPAL: 'ops',
      MESOS_SECRET: 'env-secret',
    });

    expect(options.target).toMatchObject({
      credentials: { principal: 'ops', secret: 'env-secret' },
    });
  });

  it('reads API mode with a token from the environment', () => {
    const options = optionsOf(['--api', 'http://127.0.0.1:8080', '-image', 'x'], {
      MESOS_LAUNCH_TOKEN: 't0k',
    });

    expect(options.target).toEqual({
      kind: 'api',
      baseUrl: new URL('http://127.0.0.1:8080'),
      token: 't0k',
    });
  });

  it('rejects a missing -image', () => {
    expect(usageMessage(MASTER)).toBe(
      'missing -image: give the Docker image to run, e.g. -image centos:6.6',
    );
  });

  it('rejects an unknown network', () => {
    expect(usageMessage([...MASTER, '-image', 'x', '-network', 'overlay'])).toBe(
      'invalid value "overlay" for -network: use host, bridge, none or user',
    );
  });

  it.each(['mesos', 'Docker'])('rejects -containerType=%s', (containerType) => {
    const message = usageMessage([...MASTER, '-image', 'x', `-containerType=${containerType}`]);

    expect(message).toContain(`invalid value "${containerType}" for -containerType`);
    expect(message).toContain('only docker is supported');
  });

  it('rejects neither -master nor --api', () => {
    expect(usageMessage(['-image', 'x'])).toContain('missing -master or --api');
  });

  it('rejects both -master and --api', () => {
    expect(usageMessage([...MASTER, '--api', 'http://127.0.0.1:8080', '-image', 'x'])).toContain(
      '-master and --api were both given',
    );
  });

  it('rejects direct-mode flags with --api', () => {
    expect(
      usageMessage(['--api', 'http://127.0.0.1:8080', '-image', 'x', '-role', 'web']),
    ).toContain('-role applies only with -master');
  });

  it('rejects --token with -master', () => {
    expect(usageMessage([...MASTER, '-image', 'x', '--token', 't'])).toContain(
      '--token applies only with --api',
    );
  });

  it.each([
    [['-expose', '70000'], '-expose'],
    [['-expose', 'http'], '-expose'],
    [['-cpus', '0'], '-cpus'],
    [['-cpus', 'lots'], '-cpus'],
    [['-mem', '-5'], '-mem'],
    [['-mem', ''], '-mem'],
    [['-timeout', '0'], '-timeout'],
    [['-env', 'NO_EQUALS'], '-env'],
    [['-contentType', 'xml'], '-contentType'],
  ])('rejects %j naming %s', (argv, flag) => {
    expect(usageMessage([...MASTER, '-image', 'x', ...argv])).toContain(`for ${flag}:`);
  });

  it.each(['', ' , ', 'a b:5050', 'm1:5050,bad host'])('rejects -master "%s"', (master) => {
    expect(usageMessage(['-master', master, '-image', 'x'])).toContain('for -master:');
  });

  it.each(['ftp://example.org', 'not a url'])('rejects --api %s', (api) => {
    expect(usageMessage(['--api', api, '-image', 'x'])).toContain('for --api:');
  });

  it('rejects a principal without a secret', () => {
    expect(usageMessage([...MASTER, '-image', 'x', '-principal', 'ops'])).toContain(
      '-principal was given without a secret',
    );
  });
});

describe('helpText', () => {
  it('lists every flag with its default', () => {
    const text = helpText();
    const flatText = text.replace(/\s+/g, ' ');

    for (const spec of FLAG_SPECS) {
      expect(text).toMatch(new RegExp(`\\n  --?${spec.name}[ \\n]`));
      expect(flatText).toContain(`(default: ${spec.defaultText ?? ''})`);
    }
  });

  it('states the units of numeric flags', () => {
    const text = helpText().replace(/\s+/g, ' ');

    expect(text).toContain('(default: 0.1 CPUs)');
    expect(text).toContain('(default: 50 MB)');
    expect(text).toContain('(default: 120 seconds)');
    expect(text).toContain('(default: 604800 seconds (7 days))');
  });

  it('says that -host is ignored', () => {
    expect(helpText()).toMatch(/-host ADDRESS\n\s+accepted and ignored/);
  });

  it('lists the exit codes', () => {
    const text = helpText();

    for (const code of Object.values(EXIT_CODES)) {
      expect(text).toMatch(new RegExp(`\\n  ${code} `));
    }
  });
});
