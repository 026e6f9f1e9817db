import { parseArgs } from 'node:util';
import { createLogger } from '../shared/logger.js';
import { startEmulator } from './index.js';

const HELP = `Usage: npm run emulator -- [options]

Runs an emulated Mesos 1.x master with simulated Docker agents that serves the v1 scheduler
API at /api/v1/scheduler and a JSON control API under /control/. Logs are JSON lines.

Options:
  --host HOST                    address to listen on (default 127.0.0.1)
  --port PORT                    port to listen on; 0 picks a free one (default 5050)
  --agents COUNT                 number of simulated agents (default 3); each has cpus 4,
                                 mem 8192 MB, disk 10000 MB, ports [31000-32000] and the
                                 Docker networks bridge and app-net
  --heartbeat-interval SECONDS   seconds between HEARTBEAT events (default 15)
  --allocation-interval MS       milliseconds between allocation cycles (default 1000)
  --log-level LEVEL              fatal, error, warn, info, debug, trace or silent (default info)
  --help                         print this help and exit
`;

interface CommandLine {
  host: string;
  port: number;
  agents: number;
  heartbeatIntervalSeconds: number;
  allocationIntervalMs: number;
  logLevel: string;
}

function parseCommandLine(argv: string[]): CommandLine | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '5050' },
      agents: { type: 'string', default: '3' },
      'heartbeat-interval': { type: 'string', default: '15' },
      'allocation-interval': { type: 'string', default: '1000' },
      'log-level': { type: 'string', default: process.env.LOG_LEVEL ?? 'info' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });

  if (values.help) {
    return undefined;
  }
  return {
    host: values.host,
    port: parseNumber('--port', values.port, { integer: true, min: 0, max: 65535 }),
    agents: parseNumber('--agents', values.agents, { integer: true, min: 0 }),
    heartbeatIntervalSeconds: parseNumber('--heartbeat-interval', values['heartbeat-interval'], {
      min: 0.001,
    }),
    allocationIntervalMs: parseNumber('--allocation-interval', values['allocation-interval'], {
      min: 1,
    }),
    logLevel: values['log-level'],
  };
}

function parseNumber(
  flag: string,
  text: string,
  limits: { integer?: boolean; min: number; max?: number },
): number {
  const value = Number(text);
  const valid =
    text.trim() !== '' &&
    Number.isFinite(value) &&
    (limits.integer !== true || Number.isInteger(value)) &&
    value >= limits.min &&
    (limits.max === undefined || value <= limits.max);
  if (!valid) {
    throw new Error(
      `Invalid ${flag} value '${text}': expected a number >= ${limits.min}; see --help`,
    );
  }
  return value;
}

async function main(): Promise<void> {
  let commandLine: CommandLine | undefined;
  try {
    commandLine = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (commandLine === undefined) {
    process.stdout.write(HELP);
    return;
  }

  const logger = createLogger('emulator', { level: commandLine.logLevel });
  const emulator = await startEmulator({ ...commandLine, logger });

  const stop = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'stopping emulated master');
    void emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
