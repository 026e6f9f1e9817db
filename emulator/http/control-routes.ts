import type { IncomingMessage, ServerResponse } from 'node:http';
import { EmulatorControlError, type EmulatorControl } from '../control/control.js';
import type { TaskState } from '../mesos-types.js';
import { readBody, sendJson } from './responses.js';

type Body = Record<string, unknown>;
type Handler = (control: EmulatorControl, params: string[], body: Body, url: URL) => unknown;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** The status of a successful response; 200 when unset. */
  status?: number;
}

/**
 * The JSON control API under `/control`, the HTTP twin of the in-process EmulatorControl.
 * Request and response bodies use the handle's camelCase names.
 */
const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/control\/frameworks$/, handler: (c) => c.frameworks() },
  {
    method: 'GET',
    pattern: /^\/control\/tasks$/,
    handler: (c, _p, _b, url) => c.tasks(taskFilter(url)),
  },
  { method: 'GET', pattern: /^\/control\/agents$/, handler: (c) => c.agents() },
  { method: 'GET', pattern: /^\/control\/offers$/, handler: (c) => c.offers() },
  {
    method: 'POST',
    pattern: /^\/control\/agents$/,
    handler: (c, _p, b) => c.addAgent(b),
    status: 201,
  },
  {
    method: 'DELETE',
    pattern: /^\/control\/agents\/([^/]+)$/,
    handler: (c, [agentId], _b, url) => {
      c.removeAgent(agentId!, url.searchParams.get('removal') === 'gone' ? 'gone' : 'unreachable');
      return { removed: agentId };
    },
  },
  {
    method: 'POST',
    pattern: /^\/control\/tasks\/([^/]+)\/finish$/,
    handler: (c, [taskId], b) => c.finishTask(taskId!, selector(b)),
  },
  {
    method: 'POST',
    pattern: /^\/control\/tasks\/([^/]+)\/fail$/,
    handler: (c, [taskId], b) =>
      c.failTask(taskId!, {
        ...selector(b),
        ...(typeof b.exitCode === 'number' ? { exitCode: b.exitCode } : {}),
        ...(typeof b.message === 'string' ? { message: b.message } : {}),
      }),
  },
  {
    method: 'POST',
    pattern: /^\/control\/streams\/drop$/,
    handler: (c, _p, b) => ({ dropped: c.dropStreams(optionalString(b.frameworkId)) }),
  },
  {
    method: 'POST',
    pattern: /^\/control\/heartbeats$/,
    handler: (c, _p, b) => {
      if (requireBoolean(b, 'enabled')) {
        c.resumeHeartbeats();
      } else {
        c.stopHeartbeats();
      }
      return { enabled: b.enabled };
    },
  },
  {
    method: 'POST',
    pattern: /^\/control\/leadership$/,
    handler: (c, _p, b) => setLeadership(c, b),
  },
  {
    method: 'POST',
    pattern: /^\/control\/unavailable$/,
    handler: (c, _p, b) => {
      c.setUnavailable(requireBoolean(b, 'enabled'));
      return { enabled: b.enabled };
    },
  },
  { method: 'POST', pattern: /^\/control\/updates$/, handler: (c, _p, b) => setUpdateFaults(c, b) },
  { method: 'GET', pattern: /^\/control\/calls$/, handler: (c) => c.calls() },
  {
    method: 'DELETE',
    pattern: /^\/control\/calls$/,
    handler: (c) => {
      c.clearCalls();
      return { cleared: true };
    },
  },
  {
    method: 'POST',
    pattern: /^\/control\/allocate$/,
    handler: (c) => {
      c.allocate();
      return { allocated: true };
    },
  },
];

export async function handleControlRequest(
  control: EmulatorControl,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const raw = await readBody(request);
  const route = ROUTES.find(
    (candidate) => candidate.method === request.method && candidate.pattern.test(url.pathname),
  );
  if (route === undefined) {
    sendJson(response, 404, { error: `No control route for ${request.method} ${url.pathname}` });
    return;
  }

  try {
    const params = route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
    const result = route.handler(control, params, parseBody(raw), url);
    sendJson(response, route.status ?? 200, result ?? {});
  } catch (error) {
    sendError(response, error);
  }
}

function sendError(response: ServerResponse, error: unknown): void {
  if (error instanceof EmulatorControlError) {
    const status = { EMULATOR_NOT_FOUND: 404, EMULATOR_AMBIGUOUS: 409 }[error.code] ?? 400;
    sendJson(response, status, { error: error.message, code: error.code });
    return;
  }
  sendJson(response, 500, { error: (error as Error).message });
}

function parseBody(raw: Buffer): Body {
  if (raw.length === 0) {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new EmulatorControlError(
      'EMULATOR_INVALID_REQUEST',
      'The request body is not valid JSON',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EmulatorControlError(
      'EMULATOR_INVALID_REQUEST',
      'The request body must be a JSON object',
    );
  }
  return parsed as Body;
}

function taskFilter(url: URL): { frameworkId?: string; state?: TaskState } {
  const frameworkId = url.searchParams.get('frameworkId');
  const state = url.searchParams.get('state');
  return {
    ...(frameworkId !== null ? { frameworkId } : {}),
    ...(state !== null ? { state: state as TaskState } : {}),
  };
}

function selector(body: Body): { frameworkId?: string } {
  const frameworkId = optionalString(body.frameworkId);
  return frameworkId === undefined ? {} : { frameworkId };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function requireBoolean(body: Body, field: string): boolean {
  const value = body[field];
  if (typeof value !== 'boolean') {
    throw new EmulatorControlError('EMULATOR_INVALID_REQUEST', `'${field}' must be true or false`);
  }
  return value;
}

function setLeadership(control: EmulatorControl, body: Body): unknown {
  if (requireBoolean(body, 'leader')) {
    control.becomeLeader();
    return { leader: true };
  }
  const redirectTo = optionalString(body.redirectTo) ?? null;
  control.becomeNonLeader(redirectTo);
  return { leader: false, redirectTo };
}

function setUpdateFaults(control: EmulatorControl, body: Body): unknown {
  if (body.delayMs !== undefined) {
    if (typeof body.delayMs !== 'number' || body.delayMs < 0) {
      throw new EmulatorControlError('EMULATOR_INVALID_REQUEST', "'delayMs' must be a number >= 0");
    }
    control.delayUpdates(body.delayMs);
  }
  if (body.duplicate !== undefined) {
    control.duplicateUpdates(requireBoolean(body, 'duplicate'));
  }
  return { delayMs: body.delayMs, duplicate: body.duplicate };
}
