import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ExecutionContext } from 'hono';
import { pino } from 'pino';
import { ProblemError } from '../../shared/launch/problem.js';
import { createApp } from '../app.js';
import type { LaunchBackend } from '../backend.js';
import { createRequestLogger } from '../request-log.js';
import { createForwardingBackend, type ForwarderOptions } from './forwarder.js';

/** Variables and secrets of the edge deployment (wrangler.toml `[vars]` and `wrangler secret`). */
export interface EdgeEnv {
  /** Origin of the Node entry that owns Redis and BullMQ, e.g. `https://launch.example.net`. */
  FORWARD_URL?: string;
  /** HMAC secret shared with the Node entry, at least 16 characters. */
  FORWARD_SECRET?: string;
  /** Comma-separated bearer tokens. Without them only loopback clients are served, which at the edge means none. */
  API_TOKENS?: string;
  LOG_LEVEL?: string;
}

/** Test hook: replaces the forwarder's fetch, clock or timeout. */
export type EdgeTestOverrides = Partial<
  Pick<ForwarderOptions, 'fetch' | 'nowSeconds' | 'timeoutMs'>
>;

const apps = new WeakMap<EdgeEnv, OpenAPIHono>();

/**
 * Builds the edge app for one environment: the same app as on Node, whose backend forwards each
 * validated request to the Node entry. A missing or invalid FORWARD_URL or FORWARD_SECRET makes
 * every launch route respond with 500 EDGE_MISCONFIGURED, naming the variable.
 */
export function createEdgeApp(env: EdgeEnv, overrides: EdgeTestOverrides = {}): OpenAPIHono {
  const logger = pino({ level: env.LOG_LEVEL ?? 'info', browser: { asObject: true } });
  const problem = checkEnv(env);
  const backend = problem
    ? misconfiguredBackend(problem)
    : createForwardingBackend({
        baseUrl: env.FORWARD_URL ?? '',
        secret: env.FORWARD_SECRET ?? '',
        ...overrides,
      });

  if (problem) {
    logger.error({ problem }, 'edge function is misconfigured');
  }

  return createApp({
    backend,
    apiTokens: (env.API_TOKENS ?? '')
      .split(',')
      .map((token) => token.trim())
      .filter(Boolean),
    clientAddress: (c) => c.req.header('cf-connecting-ip'),
    requestLogger: createRequestLogger(logger),
    logger,
  });
}

function checkEnv(env: EdgeEnv): string | undefined {
  const problems: string[] = [];

  if (!env.FORWARD_URL || !/^https?:\/\/[^/\s]+\/?$/.test(env.FORWARD_URL)) {
    problems.push(
      'FORWARD_URL must be the http(s) origin of the Node entry, e.g. https://launch.example.net',
    );
  }

  if (!env.FORWARD_SECRET || env.FORWARD_SECRET.length < 16) {
    problems.push(
      "FORWARD_SECRET must be set (wrangler secret put FORWARD_SECRET) to the Node side's value, at least 16 characters",
    );
  }

  return problems.length > 0 ? problems.join('; ') : undefined;
}

function misconfiguredBackend(problem: string): LaunchBackend {
  const fail = (): Promise<never> =>
    Promise.reject(new ProblemError('EDGE_MISCONFIGURED', problem));

  return {
    submitLaunch: fail,
    getLaunch: fail,
    listLaunches: fail,
    killLaunch: fail,
    checkReady: fail,
    renderMetrics: fail,
  };
}

/** The module worker: `main` of wrangler.toml. One app per environment object, reused across requests. */
export default {
  fetch(request: Request, env: EdgeEnv, ctx: ExecutionContext): Response | Promise<Response> {
    let app = apps.get(env);
    if (!app) {
      app = createEdgeApp(env);
      apps.set(env, app);
    }

    return app.fetch(request, env, ctx);
  },
};
