#!/usr/bin/env node
import { InterruptedError } from './errors.js';
import { runCli } from './run.js';

const interrupt = new AbortController();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) {
      // A second Ctrl-C exits at once, without waiting for the KILL call.
      process.exit(new InterruptedError(signal).exitCode);
    }
    interrupt.abort(new InterruptedError(signal));
  });
}

const exitCode = await runCli(process.argv.slice(2), {
  environment: process.env,
  signal: interrupt.signal,
});

process.exit(exitCode);
