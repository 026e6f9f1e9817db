import type { Context, MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import { ProblemError } from '../shared/launch/problem.js';

export interface ClientAccessOptions {
  /** Accepted bearer tokens; when empty, only loopback clients are served. */
  apiTokens: readonly string[];
  /** The client's IP address as the runtime reports it, or undefined when unknown. */
  clientAddress: (c: Context) => string | undefined;
}

const BEARER_CHALLENGE = 'Bearer realm="mesos-launch"';

/**
 * Admits a request that carries one of the API tokens as a bearer token, compared in constant
 * time. Without configured tokens it admits loopback clients only, so a service started without
 * API_TOKENS is never open to the network.
 */
export function requireClientAccess(options: ClientAccessOptions): MiddlewareHandler {
  return async (c, next) => {
    if (options.apiTokens.length > 0) {
      await checkBearerToken(c.req.header('authorization'), options.apiTokens);
    } else if (!isLoopbackAddress(options.clientAddress(c))) {
      throw new ProblemError(
        'LOOPBACK_ONLY',
        'API_TOKENS is not set, so only clients on this machine (127.0.0.0/8 or ::1) are served; set API_TOKENS on the server and send Authorization: Bearer <token> to call it from elsewhere',
      );
    }

    await next();
  };
}

async function checkBearerToken(
  header: string | undefined,
  tokens: readonly string[],
): Promise<void> {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');

  if (!match?.[1]) {
    throw new ProblemError(
      'UNAUTHORIZED',
      header
        ? 'the Authorization header is not a bearer token: send Authorization: Bearer <token>'
        : 'the Authorization header is missing: send Authorization: Bearer <token> with one of the API tokens',
    );
  }

  // Every token is compared, so the time taken does not reveal which one nearly matched.
  const results = await Promise.all(tokens.map((token) => timingSafeEqual(token, match[1] ?? '')));
  if (!results.includes(true)) {
    throw new ProblemError('UNAUTHORIZED', 'the bearer token is not one of the API tokens');
  }
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x addresses. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) {
    return false;
  }

  const normalized = address.toLowerCase();
  if (normalized === '::1' || normalized === '0:0:0:0:0:0:0:1') {
    return true;
  }

  const ipv4 = normalized.replace(/^::ffff:/, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ipv4);
}

/** Returns the headers of a 401 response: the bearer challenge that RFC 6750 requires. */
export function authChallengeHeaders(): Record<string, string> {
  return { 'www-authenticate': BEARER_CHALLENGE };
}
