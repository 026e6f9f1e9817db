import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { redisOptionsFromUrl } from '../../shared/redis-connection.js';
import { describeStartUpFailure } from '../../shared/start-up.js';

/** Returns the one-line message a bad environment gives, or 'valid'. */
function startUpMessage(environment: Record<string, string>): string {
  try {
    loadConfig(environment);
    return 'valid';
  } catch (error) {
    return describeStartUpFailure(error);
  }
}

describe('configuration with garbage values', () => {
  it.each([
    ['PORT', ' '],
    ['PORT', '0x50'],
    ['WORKER_PORT', '1e3'],
    ['LAUNCH_ATTEMPTS', '2.0'],
    ['LAUNCH_TIMEOUT_SECONDS', ''.padEnd(20, '9')],
    ['REFUSE_SECONDS', 'Infinity'],
    ['FAILOVER_TIMEOUT_SECONDS', '-1'],
    ['REDIS_URL', 'localhost'],
    ['REDIS_URL', 'redis://h/zero'],
    ['HOST', 'not a host'],
    ['MESOS_MASTER', 'ftp://m1:5050'],
    ['MESOS_MASTER', 'm1:port'],
    ['MESOS_ROLE', 'dev team'],
    ['MESOS_ROLE', '..'],
    ['API_TOKENS', ', ,'],
  ])('rejects %s=%j in one line naming it and the fix', (name, value) => {
    const message = startUpMessage({ [name]: value });

    expect(message).toMatch(new RegExp(`^invalid configuration: ${name}: .+ \\((use|give) `));
    expect(message).not.toContain('\n');
  });

  it.each([
    ['PORT', ' 8081 '],
    ['REFUSE_SECONDS', '2.5'],
    ['REDIS_URL', 'unix:///run/redis.sock'],
    ['HOST', '::'],
    ['MESOS_MASTER', 'm1:5050,https://m2:5050/master'],
    ['MESOS_ROLE', 'team/dev'],
  ])('accepts %s=%j', (name, value) => {
    expect(startUpMessage({ [name]: value })).toBe('valid');
  });

  it('rejects a Redis database that is not a number', () => {
    expect(() => redisOptionsFromUrl('redis://h:6379/zero')).toThrow(/database number/);
  });
});
