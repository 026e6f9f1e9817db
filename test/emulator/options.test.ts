import { describe, expect, it } from 'vitest';
import { defaultAgents, startEmulator, EmulatorOptionsError } from '../../emulator/index.js';

describe('emulator options', () => {
  it('builds the default agents', () => {
    const agents = defaultAgents(255);

    expect(agents[0]).toEqual({
      hostname: 'agent-1',
      ip: '127.0.1.1',
      port: 5051,
      cpus: 4,
      memMb: 8192,
      diskMb: 10000,
      ports: [{ begin: 31000, end: 32000 }],
      dockerNetworks: ['bridge', 'app-net'],
    });
    expect(agents[253]?.ip).toBe('127.0.1.254');
    expect(agents[254]?.ip).toBe('127.0.2.1');
  });

  it.each([
    [{ heartbeatIntervalSeconds: 0 }, 'heartbeatIntervalSeconds'],
    [{ allocationIntervalMs: -1 }, 'allocationIntervalMs'],
    [{ port: 70000 }, 'port'],
    [{ agents: 1.5 }, 'agents'],
    [
      {
        agents: [
          {
            ...defaultAgents(1)[0]!,
            ports: [
              { begin: 31000, end: 31010 },
              { begin: 31005, end: 31020 },
            ],
          },
        ],
      },
      'overlapping port range',
    ],
  ])('rejects %j', async (options, text) => {
    const started = startEmulator(options);

    await expect(started).rejects.toBeInstanceOf(EmulatorOptionsError);
    await expect(started).rejects.toThrow(text);
  });
});
