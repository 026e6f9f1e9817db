import { Pool } from 'undici';

interface HistoryEntry {
  state: string;
  timestamp: string;
}

/** Latencies read from each launch's history, in ms; a launch without an entry is left out. */
export interface HistoryLatencies {
  /** First entry (QUEUED, written while the POST is served) to the first TASK_RUNNING entry. */
  queuedToRunningMs: number[];
  /** QUEUED to LAUNCHING: queue, intake and waiting for an offer. */
  queuedToLaunchingMs: number[];
  /** LAUNCHING to TASK_RUNNING: ACCEPT, the master and the agent, as the master timestamps it. */
  launchingToRunningMs: number[];
  /** Launches whose GET failed. */
  unreadable: number;
}

/**
 * Reads GET /v1/launches/{id} for every id, `concurrency` at a time, after the measured window,
 * so these reads do not slow the launches they measure.
 */
export async function readHistoryLatencies(
  functionUrl: string,
  ids: string[],
  concurrency: number,
): Promise<HistoryLatencies> {
  const pool = new Pool(functionUrl, { connections: concurrency, pipelining: 1 });
  const latencies: HistoryLatencies = {
    queuedToRunningMs: [],
    queuedToLaunchingMs: [],
    launchingToRunningMs: [],
    unreadable: 0,
  };
  let next = 0;

  const loop = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next] as string;
      next += 1;
      const history = await readHistory(pool, id);
      if (history === undefined) {
        latencies.unreadable += 1;
      } else {
        addLatencies(latencies, history);
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    await pool.close();
  }

  return latencies;
}

async function readHistory(pool: Pool, id: string): Promise<HistoryEntry[] | undefined> {
  try {
    const response = await pool.request({ path: `/v1/launches/${id}`, method: 'GET' });
    const text = await response.body.text();
    if (response.statusCode !== 200) {
      return undefined;
    }

    return (JSON.parse(text) as { history?: HistoryEntry[] }).history;
  } catch {
    return undefined;
  }
}

function addLatencies(latencies: HistoryLatencies, history: HistoryEntry[]): void {
  const at = (state: string): number | undefined => {
    const entry = history.find((candidate) => candidate.state === state);
    return entry === undefined ? undefined : Date.parse(entry.timestamp);
  };

  const queued = history[0] === undefined ? undefined : Date.parse(history[0].timestamp);
  const launching = at('LAUNCHING');
  const running = at('TASK_RUNNING');
  if (queued === undefined || running === undefined) {
    return;
  }

  latencies.queuedToRunningMs.push(running - queued);
  if (launching !== undefined) {
    latencies.queuedToLaunchingMs.push(launching - queued);
    latencies.launchingToRunningMs.push(running - launching);
  }
}

/** Returns the value at quantile `q` (0..1) by the nearest-rank method; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }

  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}
