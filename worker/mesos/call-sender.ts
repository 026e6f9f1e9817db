import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { encodeCall, type Call, type MesosContentType } from '../../shared/mesos/index.js';
import {
  SchedulerClientError,
  SchedulerErrorCode,
  errorForStatus,
  errorForTransport,
} from './errors.js';
import { redirectTarget } from './redirect-target.js';
import { buildRequestHeaders, type Credentials } from './request-headers.js';

/** A leader moves at most a few times during one failover; more hops mean a redirect loop. */
export const MAX_REDIRECTS = 5;

/**
 * Calls sent on the update lane. Sending one of them twice is harmless, because an agent ignores
 * an acknowledgement of an update it no longer waits for and a second RECONCILE only repeats the
 * replies. So they may be pipelined: when a connection fails, undici 7 fails the call at its head
 * and sends the calls behind it again on a new connection.
 */
const UPDATE_LANE_CALL_TYPES: ReadonlySet<string> = new Set(['ACKNOWLEDGE', 'RECONCILE']);

/** Connections of the offer lane: ACCEPT, DECLINE, REVIVE, SUPPRESS, KILL and the rest. */
const OFFER_LANE_CONNECTIONS = 4;
/** Connections of the update lane, and the requests each may have in flight. */
const UPDATE_LANE_CONNECTIONS = 8;
const UPDATE_LANE_PIPELINING = 16;

type Lane = 'offer' | 'update';

/** The connection pool and request path for one scheduler endpoint URL on one lane. */
interface Route {
  pool: Pool;
  path: string;
}

export interface CallSenderOptions {
  contentType: MesosContentType;
  credentials?: Credentials;
  requestTimeoutMs: number;
}

/**
 * Sends every call except SUBSCRIBE on keep-alive connection pools of its own, so no call waits
 * behind the endless SUBSCRIBE response. Each master origin gets two pools: ACKNOWLEDGE and
 * RECONCILE go on a pipelined update lane, and every other call on an offer lane, so an ACCEPT
 * or DECLINE never queues behind thousands of acknowledgements. Every response body is read to
 * the end, because undici keeps a connection busy until its body is consumed.
 */
export class CallSender {
  readonly #pools = new Map<string, Pool>();
  readonly #routes = new Map<string, Route>();
  #headers: Record<string, string> | undefined;
  #headersStreamId: string | undefined;

  constructor(private readonly options: CallSenderOptions) {}

  /**
   * POSTs one call with `Mesos-Stream-Id` and follows 307 redirects. Resolves with the URL that
   * accepted it (202, or 200 for UPDATE_FRAMEWORK). Throws MesosEncodeError for an invalid call
   * before sending, and SchedulerClientError for a transport failure, a timeout (no response
   * headers or body data within `requestTimeoutMs`) or any other status.
   */
  async send(url: string, call: Call, streamId: string): Promise<string> {
    const body = encodeCall(call, this.options.contentType);
    const headers = this.#headersFor(streamId);
    const lane: Lane = UPDATE_LANE_CALL_TYPES.has(call.type) ? 'update' : 'offer';

    let target = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const response = await this.#post(target, lane, body, headers);
      if (response.statusCode === 307) {
        await response.body.dump();
        target = redirectTarget(response, target);
        continue;
      }

      if (response.statusCode === 202 || response.statusCode === 200) {
        await response.body.dump();
        return target;
      }

      const text = await response.body.text();
      throw errorForStatus(response.statusCode, text, target);
    }

    throw new SchedulerClientError(
      SchedulerErrorCode.redirectFailed,
      `More than ${MAX_REDIRECTS} redirects for ${call.type} from ${url}`,
      {
        temporary: true,
        url,
      },
    );
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    this.#routes.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  /** Returns the request headers, built again only when the stream id changes. */
  #headersFor(streamId: string): Record<string, string> {
    if (!this.#headers || this.#headersStreamId !== streamId) {
      const { contentType, credentials } = this.options;
      this.#headers = buildRequestHeaders(contentType, credentials, streamId);
      this.#headersStreamId = streamId;
    }

    return this.#headers;
  }

  async #post(
    url: string,
    lane: Lane,
    body: Uint8Array,
    headers: Record<string, string>,
  ): Promise<Dispatcher.ResponseData> {
    try {
      const { pool, path } = this.#route(url, lane);
      const pipelined = lane === 'update';
      return await pool.request({
        path,
        method: 'POST',
        headers,
        body,
        idempotent: pipelined,
        blocking: !pipelined,
      });
    } catch (error) {
      throw errorForTransport(error, url);
    }
  }

  #route(url: string, lane: Lane): Route {
    const key = `${lane} ${url}`;
    let route = this.#routes.get(key);
    if (!route) {
      const parsed = new URL(url);
      route = { pool: this.#pool(parsed.origin, lane), path: `${parsed.pathname}${parsed.search}` };
      this.#routes.set(key, route);
    }

    return route;
  }

  #pool(origin: string, lane: Lane): Pool {
    const key = `${lane} ${origin}`;
    let pool = this.#pools.get(key);
    if (!pool) {
      const timeoutMs = this.options.requestTimeoutMs;
      pool = new Pool(origin, {
        connections: lane === 'update' ? UPDATE_LANE_CONNECTIONS : OFFER_LANE_CONNECTIONS,
        pipelining: lane === 'update' ? UPDATE_LANE_PIPELINING : 1,
        keepAliveTimeout: 30_000,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      this.#pools.set(key, pool);
    }

    return pool;
  }
}
