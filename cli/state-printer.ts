import type { HistoryEntry } from '../shared/launch/index.js';
import type { LaunchStatusBody } from './api-client.js';
import type { Logger } from './output.js';

type StateEntry = Pick<HistoryEntry, 'state' | 'source' | 'reason' | 'message' | 'task_id'>;

/**
 * Prints one JSON line per state change of a polled launch. It walks the launch's history, so a
 * state that began and ended between two polls is printed too. Task states use the
 * "received task status" line of direct mode, and launch states (QUEUED, LAUNCHING, CANCELLED,
 * EXPIRED) a "launch state" line.
 */
export class LaunchStatePrinter {
  private printedEntries = 0;
  lastState: string | undefined;

  constructor(
    private readonly output: Logger,
    private readonly launchId: string,
  ) {}

  /** Prints the changes since the previous call; returns whether there were any. */
  print(status: LaunchStatusBody): boolean {
    const entries: StateEntry[] = status.history?.length ? status.history : [fromStatus(status)];
    const start = status.history?.length ? this.printedEntries : 0;
    let printed = false;

    entries.slice(start).forEach((entry, offset) => {
      const isLatest = start + offset === entries.length - 1;
      if (entry.state !== this.lastState) {
        this.printEntry(entry, isLatest ? status : undefined);
        this.lastState = entry.state;
        printed = true;
      }
    });
    this.printedEntries = status.history?.length ?? 0;

    // The current state can be ahead of the history the service has written so far.
    if (status.state !== this.lastState) {
      this.printEntry(fromStatus(status), status);
      this.lastState = status.state;
      printed = true;
    }

    return printed;
  }

  private printEntry(entry: StateEntry, current: LaunchStatusBody | undefined): void {
    const taskId = entry.task_id ?? current?.task_id ?? undefined;

    if (!entry.state.startsWith('TASK_')) {
      this.output.info(
        withOptional(
          { launchID: this.launchId, state: entry.state },
          { taskID: taskId, reason: entry.reason, message: entry.message },
        ),
        'launch state',
      );
      return;
    }

    const fields = {
      launchID: this.launchId,
      taskID: taskId ?? '',
      status: entry.state,
      source: entry.source ?? '',
      reason: entry.reason ?? '',
      containerStatus: current ? containerStatusOf(current.ip_addresses) : null,
    };
    this.output.info(
      withOptional(fields, {
        hostname: current?.hostname,
        ports: current?.ports.length ? current.ports : undefined,
        message: entry.message,
      }),
      'received task status',
    );
  }
}

function fromStatus(status: LaunchStatusBody): StateEntry {
  return {
    state: status.state,
    source: status.source,
    reason: status.reason,
    message: status.message,
    task_id: status.task_id,
  };
}

/** Rebuilds the Mesos `container_status` shape from the service's `ip_addresses`. */
function containerStatusOf(ipAddresses: readonly string[]): object | null {
  if (ipAddresses.length === 0) {
    return null;
  }

  return { network_infos: [{ ip_addresses: ipAddresses.map((ip) => ({ ip_address: ip })) }] };
}

function withOptional<T extends object>(fields: T, optional: Record<string, unknown>): T {
  const present = Object.entries(optional).filter(
    ([, value]) => value !== undefined && value !== null && value !== '',
  );
  return { ...fields, ...Object.fromEntries(present) };
}
