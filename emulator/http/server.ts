import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorControl } from '../control/control.js';
import { handleControlRequest } from './control-routes.js';
import { sendText } from './responses.js';
import {
  handleSchedulerRequest,
  SCHEDULER_PATHS,
  type SchedulerEndpoint,
} from './scheduler-endpoint.js';

export interface HttpServerDependencies {
  endpoint: SchedulerEndpoint;
  control: EmulatorControl;
}

/** Routes the scheduler endpoint (both paths) and `/control/...`; anything else is 404. */
export function createHttpServer(deps: HttpServerDependencies): Server {
  const server = createServer((request, response) => {
    void route(deps, request, response);
  });
  server.keepAliveTimeout = 75_000;
  return server;
}

async function route(
  deps: HttpServerDependencies,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://emulator.invalid');
  try {
    if (SCHEDULER_PATHS.has(url.pathname)) {
      await handleSchedulerRequest(deps.endpoint, request, response, url);
      return;
    }
    if (url.pathname.startsWith('/control/')) {
      await handleControlRequest(deps.control, request, response, url);
      return;
    }
    request.resume();
    sendText(response, 404);
  } catch (error) {
    deps.endpoint.ctx.logger.error({ err: error, path: url.pathname }, 'request failed');
    if (!response.headersSent) {
      sendText(response, 500, (error as Error).message);
    } else {
      response.destroy();
    }
  }
}

export async function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

export async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
