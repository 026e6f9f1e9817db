import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** The response the stand-in returns for `POST /v1/launches`: 202 by default. */
export interface SubmitAnswer {
  status: number;
  body: unknown;
  contentType?: string;
}

/**
 * A small HTTP server with the launch API's routes. `GET /v1/launches/{id}` returns the next
 * entry of `statuses` on each call and repeats the last one.
 */
export class LaunchApiStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly launchId = '4f1d2c3b-0a9e-4b8c-9d7e-6f5a4b3c2d1e';
  statuses: unknown[] = [];
  submitAnswer: SubmitAnswer | undefined;
  private server: Server | undefined;
  private served = 0;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void this.handle(request).then(({ status, body, contentType }) => {
        response.writeHead(status, { 'content-type': contentType ?? 'application/json' });
        response.end(body === undefined ? '' : JSON.stringify(body));
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(request: IncomingMessage): Promise<SubmitAnswer> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }

    const recorded = {
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(recorded);
    return this.answer(recorded);
  }

  private answer(request: RecordedRequest): SubmitAnswer {
    const statusPath = `/v1/launches/${this.launchId}`;
    if (request.method === 'POST' && request.path === '/v1/launches') {
      return (
        this.submitAnswer ?? {
          status: 202,
          body: { id: this.launchId, state: 'QUEUED', status_url: statusPath },
        }
      );
    }
    if (request.method === 'GET' && request.path === statusPath) {
      const index = Math.min(this.served, this.statuses.length - 1);
      this.served += 1;
      return { status: 200, body: this.statuses[index] };
    }
    if (request.method === 'DELETE' && request.path === statusPath) {
      return { status: 202, body: { id: this.launchId } };
    }

    return {
      status: 404,
      contentType: 'application/problem+json',
      body: {
        title: 'Not Found',
        status: 404,
        code: 'NOT_FOUND',
        detail: `no route ${request.method} ${request.path}`,
      },
    };
  }
}

/** Builds a launch status body whose history contains `states` in order, the last one current. */
export function launchStatus(
  launchId: string,
  states: string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const state = states[states.length - 1] ?? 'QUEUED';
  const taskId = states.some((entry) => entry.startsWith('TASK_')) ? `ml-${launchId}-a1` : null;
  const history = states.map((entry) => ({
    state: entry,
    timestamp: new Date(0).toISOString(),
    source: entry.startsWith('TASK_') ? 'SOURCE_EXECUTOR' : null,
    reason: null,
    message: null,
    task_id: entry.startsWith('TASK_') ? taskId : null,
  }));

  return {
    id: launchId,
    state,
    terminal: [
      'TASK_FINISHED',
      'TASK_FAILED',
      'TASK_KILLED',
      'TASK_ERROR',
      'CANCELLED',
      'EXPIRED',
    ].includes(state),
    task_id: taskId,
    hostname: null,
    ip_addresses: [],
    ports: [],
    reason: null,
    message: null,
    source: null,
    history,
    ...extra,
  };
}
