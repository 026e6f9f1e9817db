import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** The worker state that `/healthz` reports. */
export interface WorkerHealth {
  /** `active` holds the lease, `standby` waits for it, `failed` stopped on a permanent error. */
  role: 'starting' | 'standby' | 'active' | 'stopping' | 'stopped' | 'failed';
  workerId: string;
  leaseHolder: string | null;
  subscribed: boolean;
  frameworkId: string | null;
  streamId: string | null;
  secondsSinceHeartbeat: number | null;
  pendingLaunches: number;
  waitingLaunches: number;
  error: string | null;
}

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /healthz` and `GET /metrics` (Prometheus text) on `host:port`, where port 0 picks a
 * free port. `/healthz` returns JSON with 200 while the worker is on standby or subscribed, else 503.
 */
export async function startHealthServer(
  host: string,
  port: number,
  health: () => Promise<WorkerHealth>,
  registry: Registry,
): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const reply = (status: number, type: string, body: string): void => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };

    const handle = async (): Promise<void> => {
      if (request.method !== 'GET') {
        reply(405, 'text/plain; charset=utf-8', 'only GET is supported\n');
      } else if (path === '/healthz') {
        const state = await health();
        reply(isHealthy(state) ? 200 : 503, 'application/json', JSON.stringify(state));
      } else if (path === '/metrics') {
        reply(200, registry.contentType, await registry.metrics());
      } else {
        reply(404, 'text/plain; charset=utf-8', 'not found; try /healthz or /metrics\n');
      }
    };

    handle().catch((error: unknown) => {
      reply(500, 'text/plain; charset=utf-8', `${String(error)}\n`);
    });
  });

  await listen(server, host, port);
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${shownHost}:${address.port}`,
    close: () => closeServer(server),
  };
}

function isHealthy(state: WorkerHealth): boolean {
  return state.role === 'standby' || (state.role === 'active' && state.subscribed);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
