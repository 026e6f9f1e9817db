import { createLogger } from '../../../shared/logger.js';
import type { Emulator, EmulatorOptions } from '../../../emulator/index.js';
import { startEmulator } from '../../../emulator/index.js';

/**
 * Starts an emulator for one test on 127.0.0.1:0 with a silent logger. Periodic allocation is
 * effectively off (one cycle an hour) so tests decide when cycles run, through
 * `control.allocate()` or the immediate cycle after SUBSCRIBE and REVIVE.
 */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({
    agents: 2,
    allocationIntervalMs: 3_600_000,
    taskStartDelayMs: 5,
    logger: createLogger('emulator-test', {
      level: process.env.EMULATOR_TEST_LOG_LEVEL ?? 'silent',
    }),
    ...options,
  });
}

export const BOTH_ENCODINGS = ['application/json', 'application/x-protobuf'] as const;

/** Polls `check` until it returns true; for state the emulator reaches without an event. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
