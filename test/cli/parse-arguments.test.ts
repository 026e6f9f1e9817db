import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/errors.js';
import { FLAG_SPECS } from '../../cli/flag-specs.js';
import { parseArguments, type RawFlags } from '../../cli/parse-arguments.js';
import { originArguments } from './support/origin-command-lines.js';

function flagsOf(argv: string[]): RawFlags {
  const parsed = parseArguments(argv);
  if (parsed.help) {
    throw new Error('expected flags, got a help request');
  }

  return parsed.flags;
}

function usageMessage(argv: string[]): string {
  try {
    parseArguments(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }

  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('parseArguments', () => {
  it.each([
    [['-image', 'centos:6.6']],
    [['-image=centos:6.6']],
    [['--image', 'centos:6.6']],
    [['--image=centos:6.6']],
  ])('reads a string flag from %j', (argv) => {
    expect(flagsOf(argv).get('image')).toBe('centos:6.6');
  });

  it.each([
    [['-enableContainer'], true],
    [['--enableContainer'], true],
    [['-enableContainer=true'], true],
    [['--enableContainer=1'], true],
    [['-enableContainer=false'], false],
    [['--enableContainer=F'], false],
  ])('reads a boolean from %j', (argv, expected) => {
    expect(flagsOf(argv).get('enableContainer')).toBe(expected);
  });

  it('keeps a bare boolean from taking the next flag', () => {
    const flags = flagsOf(['-enableContainer', '-image', 'centos']);

    expect(flags.get('enableContainer')).toBe(true);
    expect(flags.get('image')).toBe('centos');
  });

  it('collects every -expose', () => {
    const flags = flagsOf(['-expose', '8888', '--expose=53/udp', '--expose', '9000']);

    expect(flags.get('expose')).toEqual(['8888', '53/udp', '9000']);
  });

  it('keeps the last value of a repeated flag', () => {
    expect(flagsOf(['-network', 'host', '--network=bridge']).get('network')).toBe('bridge');
  });

  it('keeps "=" and spaces inside values', () => {
    const flags = flagsOf(['-cmd=echo a=b && sleep 1', '-env', 'A=x=y']);

    expect(flags.get('cmd')).toBe('echo a=b && sleep 1');
    expect(flags.get('env')).toEqual(['A=x=y']);
  });

  it('takes a value that starts with a dash, as Go does', () => {
    expect(flagsOf(['-cmd', '-v']).get('cmd')).toBe('-v');
  });

  it.each([[['--help']], [['-help']], [['-h']], [['-image', 'x', '--help']]])(
    'returns a help request for %j',
    (argv) => {
      expect(parseArguments(argv)).toEqual({ help: true });
    },
  );

  it.each(['host', 'bridge', 'none', 'user'] as const)('reads the %s example verbatim', (mode) => {
    const flags = flagsOf(originArguments(mode));

    expect(flags.get('host')).toBe('192.168.56.11');
    expect(flags.get('enableContainer')).toBe(true);
    expect(flags.get('containerType')).toBe('docker');
    expect(flags.get('image')).toBe('ugistry.ucloud.cn/library/centos:6.6');
    expect(flags.get('network')).toBe(mode);
    expect(flags.get('master')).toMatch(/^192\.168\.56\.2[13]:5050$/);
    expect(flags.get('cmd')).toMatch(/^ifconfig && sleep \d+$/);
  });

  it('reads -expose from the bridge example', () => {
    expect(flagsOf(originArguments('bridge')).get('expose')).toEqual(['8888']);
  });

  it('reads -networkName from the user example', () => {
    expect(flagsOf(originArguments('user')).get('networkName')).toBe('app-net');
  });

  it('accepts every flag with two dashes', () => {
    for (const spec of FLAG_SPECS) {
      const argv = spec.kind === 'boolean' ? [`--${spec.name}`] : [`--${spec.name}`, '1'];
      expect(flagsOf(argv).has(spec.name)).toBe(true);
    }
  });

  it('rejects an unknown flag', () => {
    const message = usageMessage(['-image', 'x', '-port', '80']);

    expect(message).toContain('unknown flag -port');
    expect(message).toContain('mesos-launch --help');
  });

  it('suggests the spelling of a miscased flag', () => {
    expect(usageMessage(['-networkname', 'app-net'])).toContain('did you mean -networkName?');
  });

  it('rejects a flag without its value', () => {
    expect(usageMessage(['-image'])).toBe('flag -image needs a value: -image IMAGE');
  });

  it('rejects a stray argument', () => {
    expect(usageMessage(['-image', 'x', 'sleep'])).toContain('unexpected argument "sleep"');
  });

  it('rejects a value after a bare boolean', () => {
    expect(usageMessage(['-enableContainer', 'false'])).toContain('unexpected argument "false"');
  });

  it('rejects an invalid boolean value', () => {
    expect(usageMessage(['-enableContainer=yes'])).toContain(
      'invalid value "yes" for -enableContainer',
    );
  });

  it.each([[['---image', 'x']], [['-=x']], [['-']], [['--']]])(
    'rejects the syntax of %j',
    (argv) => {
      expect(() => parseArguments(argv)).toThrow(UsageError);
    },
  );
});
