import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient, type LaunchStatusBody, type SubmittedLaunch } from './api-client.js';
import { CliError, InterruptedError, LaunchFailedError, LaunchTimeoutError } from './errors.js';
import type { ApiTarget, LaunchOptions } from './options.js';
import type { Logger } from './output.js';
import type { LaunchRequestBody } from './request.js';
import { LaunchStatePrinter } from './state-printer.js';

export interface ApiModeContext {
  output: Logger;
  diagnostics: Logger;
  /** Aborted with an `InterruptedError` on Ctrl-C or SIGTERM. */
  signal: AbortSignal;
  fetchFunction?: typeof fetch;
  /** First and maximum pause between polls, in ms. */
  pollMs?: { initial: number; max: number };
}

const SUBMIT_TRIES = 3;
const SUCCESS_STATES = ['TASK_RUNNING', 'TASK_FINISHED'];

/**
 * Submits the launch to a running service, then polls it, printing one JSON line per state
 * change, until it is TASK_RUNNING or terminal. The pause between polls starts at 250 ms and
 * doubles up to 2 s, and falls back to 250 ms after each change. Returns on TASK_RUNNING or
 * TASK_FINISHED. Otherwise it throws a `CliError`, after cancelling the launch when `-timeout`
 * passed or the signal fired.
 */
export async function runApiMode(
  launch: LaunchOptions,
  target: ApiTarget,
  body: LaunchRequestBody,
  context: ApiModeContext,
): Promise<void> {
  const client = new ApiClient(target.baseUrl, target.token, context.fetchFunction);
  const submitted = await submitWithRetry(client, body, context);
  context.output.info(
    { launchID: submitted.id, statusUrl: submitted.statusUrl.href },
    'launch submitted',
  );

  try {
    const status = await pollUntilSettled(client, submitted, launch.timeoutSeconds, context);
    if (!SUCCESS_STATES.includes(status.state)) {
      throw new LaunchFailedError(describeFailure(status));
    }
  } catch (error) {
    if (error instanceof LaunchTimeoutError || error instanceof InterruptedError) {
      await cancelQuietly(client, submitted, context);
    }
    throw error;
  }
}

async function submitWithRetry(
  client: ApiClient,
  body: LaunchRequestBody,
  context: ApiModeContext,
): Promise<SubmittedLaunch> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await client.submit(body);
    } catch (error) {
      const retryable = error instanceof CliError && error.code === 'CLI_UNREACHABLE';
      if (!retryable || attempt >= SUBMIT_TRIES || context.signal.aborted) {
        throw error;
      }

      context.diagnostics.warn({ err: error, attempt }, 'submitting the launch failed; retrying');
      await sleep(250 * 2 ** attempt);
    }
  }
}

async function pollUntilSettled(
  client: ApiClient,
  launch: SubmittedLaunch,
  timeoutSeconds: number,
  context: ApiModeContext,
): Promise<LaunchStatusBody> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const printer = new LaunchStatePrinter(context.output, launch.id);
  const { initial, max } = context.pollMs ?? { initial: 250, max: 2000 };
  let pauseMs = initial;

  for (;;) {
    throwIfAborted(context.signal);
    const status = await readStatus(client, launch, context);

    if (status && printer.print(status)) {
      pauseMs = initial;
    }
    if (status && (status.terminal || SUCCESS_STATES.includes(status.state))) {
      return status;
    }

    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) {
      throw new LaunchTimeoutError(
        `timed out after ${timeoutSeconds} s with launch ${launch.id} in ${printer.lastState ?? 'an unknown state'}; cancelling it`,
      );
    }

    await pause(Math.min(pauseMs, remainingMs), context.signal);
    pauseMs = Math.min(pauseMs * 2, max);
  }
}

/** Reads the status; a 5xx or an unreachable service is retried by the next poll until the deadline. */
async function readStatus(
  client: ApiClient,
  launch: SubmittedLaunch,
  context: ApiModeContext,
): Promise<LaunchStatusBody | undefined> {
  try {
    return await client.status(launch);
  } catch (error) {
    if (error instanceof CliError && error.code === 'CLI_UNREACHABLE') {
      context.diagnostics.warn(
        { err: error, launchId: launch.id },
        'reading the launch status failed; retrying',
      );
      return undefined;
    }
    throw error;
  }
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throwIfAborted(signal);
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    throw signal.reason instanceof CliError ? signal.reason : new InterruptedError('SIGINT');
  }
}

async function cancelQuietly(
  client: ApiClient,
  launch: SubmittedLaunch,
  context: ApiModeContext,
): Promise<void> {
  try {
    await client.cancel(launch);
    context.output.info({ launchID: launch.id }, 'launch cancelled');
  } catch (error) {
    context.diagnostics.error({ err: error, launchId: launch.id }, 'cancelling the launch failed');
  }
}

function describeFailure(status: LaunchStatusBody): string {
  const details = [status.source, status.reason].filter(Boolean).join(', ');
  const origin = details === '' ? '' : ` (${details})`;
  const message = status.message ? `: ${status.message}` : '';
  return `launch ${status.id} ended in ${status.state}${origin}${message}`;
}
