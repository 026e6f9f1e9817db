import { newLaunchId, type LaunchRequest } from '../shared/launch/index.js';
import type { Event } from '../shared/mesos/types.js';
import { SchedulerClient, type SubscribedInfo } from '../worker/mesos/index.js';
import { DirectLaunch } from './direct-launch.js';
import { CliError, LaunchFailedError, LaunchTimeoutError, UnreachableError } from './errors.js';
import { buildFrameworkInfo, CLI_FRAMEWORK_NAME } from './framework-info.js';
import type { DirectTarget, LaunchOptions } from './options.js';
import type { Logger } from './output.js';

export interface DirectModeContext {
  output: Logger;
  diagnostics: Logger;
  /** Aborted with an `InterruptedError` on Ctrl-C or SIGTERM. */
  signal: AbortSignal;
}

/** Facts a run collects to explain a timeout. */
interface Progress {
  subscribed: boolean;
  lastError: string | undefined;
  failedSubscribes: number;
}

/**
 * Failed SUBSCRIBE attempts, before any succeeded, after which the run gives up at once instead of
 * waiting for `-timeout`. With the client's backoff (0.5 s doubling) this is about 7 seconds.
 */
const MAX_FAILED_SUBSCRIBES = 5;

/** One direct-mode run: the client, the launch, and what the run has seen so far. */
interface DirectRun {
  client: SchedulerClient;
  directLaunch: DirectLaunch;
  progress: Progress;
  launch: LaunchOptions;
  target: DirectTarget;
  context: DirectModeContext;
}

/**
 * Launches one task straight on the master, with no Redis: subscribes as a new framework, runs
 * a `DirectLaunch` until it settles, then closes the subscription without TEARDOWN, so the task
 * keeps running for the framework's failover timeout. Throws a `CliError` when the task fails,
 * `-timeout` passes, the master cannot be reached or the signal fires. In the last three cases it
 * kills a launched task before throwing.
 */
export async function runDirectMode(
  request: LaunchRequest,
  launch: LaunchOptions,
  target: DirectTarget,
  context: DirectModeContext,
): Promise<void> {
  const client = new SchedulerClient({
    masters: target.masters,
    contentType: target.contentType,
    credentials: target.credentials,
    frameworkInfo: buildFrameworkInfo(target),
    logger: context.diagnostics,
  });
  const pending = {
    launchId: newLaunchId(),
    attempt: 1,
    request,
    frameworkName: CLI_FRAMEWORK_NAME,
  };
  const directLaunch = new DirectLaunch({
    pending,
    calls: client,
    output: context.output,
    diagnostics: context.diagnostics,
    role: target.role,
  });
  const run: DirectRun = {
    client,
    directLaunch,
    progress: { subscribed: false, lastError: undefined, failedSubscribes: 0 },
    launch,
    target,
    context,
  };
  const stopWatching = new AbortController();

  try {
    const failure = watchForFailure(run, stopWatching.signal);
    client.start();
    await Promise.race([directLaunch.settled, failure]);
  } catch (error) {
    if (!(error instanceof LaunchFailedError)) {
      await killQuietly(directLaunch, context);
    }
    throw error;
  } finally {
    stopWatching.abort();
    await client.stop();
  }
}

/**
 * Feeds the client's events to the launch and returns a promise that rejects on the first
 * failure: an ERROR event, a failed call, a permanent subscription failure, `-timeout` or the
 * interrupt signal. The client awaits each event handler, so events are handled in stream order.
 */
function watchForFailure(run: DirectRun, stopSignal: AbortSignal): Promise<never> {
  const { client, directLaunch, progress, context } = run;

  return new Promise<never>((_resolve, reject) => {
    const fail = (error: unknown) => reject(toCliError(error));

    client.on('subscribed', (info: SubscribedInfo) => {
      progress.subscribed = true;
      context.output.info({ frameworkID: info.frameworkId }, 'subscribed');
    });
    client.on('event', (event: Event) => handleEvent(event, directLaunch).catch(fail));
    client.on('disconnected', (error: Error) => {
      progress.lastError = error.message;
      if (!progress.subscribed && ++progress.failedSubscribes >= MAX_FAILED_SUBSCRIBES) {
        fail(unreachableError(run));
      }
    });
    client.on('error', (error: Error) => {
      fail(new UnreachableError(`the subscription failed: ${error.message}`, { cause: error }));
    });

    const timer = setTimeout(() => fail(timeoutError(run)), run.launch.timeoutSeconds * 1000);
    const onAbort = () => fail(context.signal.reason);
    context.signal.addEventListener('abort', onAbort, { once: true });
    stopSignal.addEventListener('abort', () => {
      clearTimeout(timer);
      context.signal.removeEventListener('abort', onAbort);
    });
  });
}

async function handleEvent(event: Event, directLaunch: DirectLaunch): Promise<void> {
  if (event.type === 'OFFERS') {
    await directLaunch.handleOffers(event.offers?.offers ?? []);
  } else if (event.type === 'UPDATE' && event.update) {
    await directLaunch.handleUpdate(event.update.status);
  } else if (event.type === 'ERROR') {
    throw new UnreachableError(`the master sent ERROR: ${event.error?.message ?? 'no message'}`);
  }
}

function unreachableError({ progress, target }: DirectRun): CliError {
  const lastError = progress.lastError ?? 'no response';
  const hint = /\b404\b/.test(lastError)
    ? '; this address has no scheduler API: is it a mesos-launch service? Use --api for that'
    : '';

  return new UnreachableError(
    `could not subscribe to ${target.masters.join(',')} after ${progress.failedSubscribes} tries (last error: ${lastError})${hint}`,
  );
}

function timeoutError(run: DirectRun): CliError {
  const { directLaunch, progress, launch } = run;
  const after = `after ${launch.timeoutSeconds} s`;
  if (!progress.subscribed) {
    return unreachableError(run);
  }

  if (directLaunch.taskId === undefined) {
    const ports = launch.expose.length;
    const resources = `${launch.cpus} CPUs, ${launch.memMb} MB and ${ports} port(s)`;
    return new LaunchTimeoutError(
      `timed out ${after}: none of the ${directLaunch.offersSeen} offer(s) received had ${resources}`,
    );
  }

  const state = directLaunch.lastState ?? 'not yet reported';
  return new LaunchTimeoutError(
    `timed out ${after} waiting for TASK_RUNNING: task ${directLaunch.taskId} is ${state}; killing it`,
  );
}

async function killQuietly(directLaunch: DirectLaunch, context: DirectModeContext): Promise<void> {
  try {
    const killed = await directLaunch.killIfUnsettled();
    if (killed) {
      context.output.info({ taskID: directLaunch.taskId }, 'task killed');
    }
  } catch (error) {
    context.diagnostics.error(
      { err: error, taskId: directLaunch.taskId },
      'killing the task failed',
    );
  }
}

function toCliError(error: unknown): CliError {
  if (error instanceof CliError) {
    return error;
  }

  const reason = error instanceof Error ? error.message : String(error);
  return new UnreachableError(`a call to the master failed: ${reason}`, { cause: error });
}
