/**
 * Child process of the end-to-end benchmark: an emulated master whose agents are large enough
 * for every benchmark task. Reads its settings as JSON from argv[2] (`EmulatorProcessSettings`),
 * prints one JSON line `{"url": ...}` on stdout once it listens on 127.0.0.1, and stops on SIGTERM.
 */
import { agentIp, startEmulator, type AgentSpec } from '../../emulator/index.js';
import { createLogger } from '../../shared/logger.js';

export interface EmulatorProcessSettings {
  agents: number;
  cpus: number;
  memMb: number;
  firstPort: number;
  lastPort: number;
  allocationIntervalMs: number;
  /** Scheduler calls kept for GET /control/calls. */
  callLogLimit: number;
}

function benchAgents(settings: EmulatorProcessSettings): AgentSpec[] {
  return Array.from({ length: settings.agents }, (_unused, index) => ({
    hostname: `bench-agent-${index + 1}`,
    ip: agentIp(index),
    port: 5051,
    cpus: settings.cpus,
    memMb: settings.memMb,
    diskMb: 100_000,
    ports: [{ begin: settings.firstPort, end: settings.lastPort }],
    dockerNetworks: ['bridge'],
  }));
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as EmulatorProcessSettings;
  const emulator = await startEmulator({
    agents: benchAgents(settings),
    allocationIntervalMs: settings.allocationIntervalMs,
    callLogLimit: settings.callLogLimit,
    logger: createLogger('emulator', { level: process.env.LOG_LEVEL ?? 'warn' }),
  });

  process.once('SIGTERM', () => {
    void emulator.stop().finally(() => process.exit(0));
  });
  process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
}

await main();
