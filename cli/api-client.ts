import { randomUUID } from 'node:crypto';
import type { LaunchStatus } from '../shared/launch/index.js';
import { LaunchFailedError, UnreachableError } from './errors.js';
import type { LaunchRequestBody } from './request.js';

/** A launch the service accepted: its id and where to poll it. */
export interface SubmittedLaunch {
  id: string;
  statusUrl: URL;
}

/** The fields of `GET /v1/launches/{id}` the command line reads; the service sends more. */
export type LaunchStatusBody = Pick<
  LaunchStatus,
  | 'id'
  | 'state'
  | 'terminal'
  | 'task_id'
  | 'hostname'
  | 'ip_addresses'
  | 'ports'
  | 'reason'
  | 'message'
  | 'source'
> & { history?: LaunchStatus['history'] };

/** Calls the mesos-launch HTTP API with an optional bearer token. */
export class ApiClient {
  private readonly idempotencyKey = randomUUID();

  constructor(
    private readonly baseUrl: URL,
    private readonly token: string | undefined,
    private readonly fetchFunction: typeof fetch = fetch,
  ) {}

  /**
   * Sends `POST /v1/launches`. Every try carries the same `Idempotency-Key`, so a retry after a
   * lost response returns the launch the first try created instead of a second one.
   */
  async submit(body: LaunchRequestBody): Promise<SubmittedLaunch> {
    const url = this.resolve('v1/launches');
    const response = await this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': this.idempotencyKey },
      body: JSON.stringify(body),
    });

    await this.throwUnlessOk(response, 'submit the launch');
    const created = (await response.json()) as { id?: unknown; status_url?: unknown };
    if (typeof created.id !== 'string') {
      throw new UnreachableError(`the service returned no launch id for POST ${url.href}`);
    }

    const statusPath =
      typeof created.status_url === 'string' ? created.status_url : `v1/launches/${created.id}`;
    return { id: created.id, statusUrl: this.resolve(statusPath) };
  }

  /** Sends `GET` for a launch's status. */
  async status(launch: SubmittedLaunch): Promise<LaunchStatusBody> {
    const response = await this.send(launch.statusUrl, { method: 'GET' });
    await this.throwUnlessOk(response, `read launch ${launch.id}`);
    return (await response.json()) as LaunchStatusBody;
  }

  /** Sends `DELETE` for a launch, which kills its task or cancels it while queued. */
  async cancel(launch: SubmittedLaunch): Promise<void> {
    const response = await this.send(launch.statusUrl, { method: 'DELETE' });
    await this.throwUnlessOk(response, `cancel launch ${launch.id}`);
    await response.body?.cancel();
  }

  private resolve(path: string): URL {
    const base = this.baseUrl.href.endsWith('/') ? this.baseUrl : new URL(`${this.baseUrl.href}/`);
    return new URL(path.replace(/^\//, ''), base);
  }

  private async send(url: URL, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json, application/problem+json');
    if (this.token !== undefined) {
      headers.set('authorization', `Bearer ${this.token}`);
    }

    try {
      return await this.fetchFunction(url, { ...init, headers });
    } catch (error) {
      throw new UnreachableError(
        `could not reach the service at ${url.origin}: ${describeFetchError(error)}`,
        { cause: error },
      );
    }
  }

  private async throwUnlessOk(response: Response, action: string): Promise<void> {
    if (response.ok) {
      return;
    }

    const problem = await readProblem(response);
    const message = `the service rejected the request to ${action}: HTTP ${response.status}${problem}`;
    if (response.status >= 500) {
      throw new UnreachableError(message);
    }

    throw new LaunchFailedError(message + hintFor(response.status));
  }
}

/** Reads an `application/problem+json` body into ` CODE: detail`, or the start of a text body. */
async function readProblem(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const problem = JSON.parse(text) as { code?: unknown; detail?: unknown; title?: unknown };
    const code = typeof problem.code === 'string' ? ` ${problem.code}` : '';
    const detail = typeof problem.detail === 'string' ? problem.detail : problem.title;
    return typeof detail === 'string' ? `${code}: ${detail}` : code;
  } catch {
    const line = text.split('\n')[0]?.trim().slice(0, 200) ?? '';
    return line === '' ? '' : `: ${line}`;
  }
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) {
    return ' (pass a valid --token, or set MESOS_LAUNCH_TOKEN)';
  }

  return '';
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    return cause ?? error.message;
  }

  return String(error);
}
