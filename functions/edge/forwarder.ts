import { ProblemError, PROBLEM_CONTENT_TYPE } from '../../shared/launch/problem.js';
import type { LaunchStatus } from '../../shared/launch/types.js';
import type {
  KillLaunchOutcome,
  LaunchBackend,
  LaunchListPage,
  ListLaunchesInput,
  MetricsText,
  SubmitLaunchResult,
} from '../backend.js';
import {
  NONCE_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signForwardedRequest,
} from '../forward-signature.js';

/** The internal endpoint's path prefix (INTERNAL_PATH_PREFIX in functions/node/internal.ts). */
const INTERNAL_PREFIX = '/internal/v1';

export interface ForwarderOptions {
  /** Origin of the Node entry, e.g. `https://launch.internal.example:8080`. */
  baseUrl: string;
  /** FORWARD_SECRET, the same on both sides. */
  secret: string;
  fetch?: typeof fetch;
  /** Upper bound of one forwarded call. @defaultValue 10000 */
  timeoutMs?: number;
  /** Current Unix time in seconds; tests move the clock. */
  nowSeconds?: () => number;
}

/**
 * Creates a LaunchBackend that forwards every call to the Node entry's internal endpoint, signed with
 * HMAC-SHA256 (see forward-signature.ts). Problems from the Node side come back as ProblemError
 * with the same code and status, so clients see the same errors from both entries. A rejected
 * signature is a configuration error of this deployment and becomes 502 FORWARD_FAILED.
 */
export function createForwardingBackend(options: ForwarderOptions): LaunchBackend {
  const call = createCaller(options);

  return {
    submitLaunch: async (input) =>
      (await call('POST', '/launches', {
        request: input.request,
        ...(input.idempotencyKey === undefined ? {} : { idempotency_key: input.idempotencyKey }),
      }).then(readJson)) as SubmitLaunchResult,
    getLaunch: async (id) => {
      try {
        return (await readJson(
          await call('GET', `/launches/${encodeURIComponent(id)}`),
        )) as LaunchStatus;
      } catch (error) {
        if (error instanceof ProblemError && error.code === 'LAUNCH_NOT_FOUND') {
          return undefined;
        }
        throw error;
      }
    },
    listLaunches: async (input) =>
      (await readJson(await call('GET', `/launches${listQuery(input)}`))) as LaunchListPage,
    killLaunch: async (id) =>
      (await readJson(
        await call('DELETE', `/launches/${encodeURIComponent(id)}`),
      )) as KillLaunchOutcome,
    checkReady: async () => {
      await (await call('GET', '/ready')).body?.cancel();
    },
    renderMetrics: async (): Promise<MetricsText> => {
      const response = await call('GET', '/metrics');
      return {
        contentType: response.headers.get('content-type') ?? 'text/plain',
        body: await response.text(),
      };
    },
  };
}

type Caller = (method: string, path: string, body?: unknown) => Promise<Response>;

function createCaller(options: ForwarderOptions): Caller {
  const fetchImpl = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;

  return async (method, path, body) => {
    const target = `${INTERNAL_PREFIX}${path}`;
    const text = body === undefined ? '' : JSON.stringify(body);
    const timestamp = String(options.nowSeconds?.() ?? Math.floor(Date.now() / 1000));
    const nonce = crypto.randomUUID();
    const signature = await signForwardedRequest(options.secret, {
      timestamp,
      nonce,
      method,
      target,
      body: text,
    });

    let response: Response;
    try {
      response = await fetchImpl(`${base}${target}`, {
        method,
        headers: {
          [TIMESTAMP_HEADER]: timestamp,
          [NONCE_HEADER]: nonce,
          [SIGNATURE_HEADER]: signature,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: text }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw forwardFailure(error, base, timeoutMs);
    }

    if (!response.ok) {
      throw await problemFromResponse(response);
    }

    return response;
  };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch (error) {
    throw new ProblemError(
      'FORWARD_FAILED',
      'the launch service sent a response that is not JSON',
      { cause: error },
    );
  }
}

function listQuery(input: ListLaunchesInput): string {
  const query = new URLSearchParams({ limit: String(input.limit) });
  if (input.states && input.states.length > 0) {
    query.set('state', input.states.join(','));
  }
  if (input.cursor !== undefined) {
    query.set('cursor', input.cursor);
  }

  return `?${query.toString()}`;
}

function forwardFailure(error: unknown, base: string, timeoutMs: number): ProblemError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ProblemError(
      'FORWARD_TIMEOUT',
      `the launch service at ${base} did not respond within ${timeoutMs} ms`,
      { cause: error },
    );
  }

  const reason = error instanceof Error ? error.message : String(error);
  return new ProblemError(
    'FORWARD_FAILED',
    `the launch service at ${base} could not be reached: ${reason}`,
    { cause: error },
  );
}

/** Rebuilds the Node side's problem as a ProblemError with the same code, status and members. */
async function problemFromResponse(response: Response): Promise<ProblemError> {
  const isProblem = (response.headers.get('content-type') ?? '').startsWith(PROBLEM_CONTENT_TYPE);
  const body = isProblem
    ? ((await response.json().catch(() => undefined)) as Record<string, unknown> | undefined)
    : undefined;
  if (!isProblem) {
    await response.body?.cancel();
  }

  const code = typeof body?.code === 'string' ? body.code : undefined;
  const detail =
    typeof body?.detail === 'string'
      ? body.detail
      : `the launch service responded with status ${response.status}`;

  // These mean the deployment is wrong (secret, clock, internal endpoint off), not the request.
  if (!code || code.startsWith('SIGNATURE_') || code === 'NOT_FOUND') {
    return new ProblemError(
      'FORWARD_FAILED',
      `the launch service rejected the forwarded request: ${detail}; check that FORWARD_SECRET is set to the same value on the edge and the Node side and that both clocks are right`,
    );
  }

  return new ProblemError(code, detail, {
    status: response.status,
    extensions: problemExtensions(body ?? {}),
    headers: copiedHeaders(response.headers),
  });
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'code']);

function problemExtensions(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([name]) => !PROBLEM_MEMBERS.has(name)));
}

function copiedHeaders(headers: Headers): Record<string, string> {
  const copied: Record<string, string> = {};
  for (const name of ['allow', 'retry-after']) {
    const value = headers.get(name);
    if (value) {
      copied[name] = value;
    }
  }

  return copied;
}
