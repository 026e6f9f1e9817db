import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { encodeCall, type Call, type MesosContentType } from '../../shared/mesos/index.js';
import {
  SchedulerClientError,
  SchedulerErrorCode,
  errorForStatus,
  errorForTransport,
} from './errors.js';
import { resolveRedirect } from './masters.js';
import { buildRequestHeaders, headerValue, type Credentials } from './request-headers.js';

/** A leader moves at most a few times during one failover; more hops mean a redirect loop. */
export const MAX_REDIRECTS = 5;

export interface CallSenderOptions {
  contentType: MesosContentType;
  credentials?: Credentials;
  requestTimeoutMs: number;
}

/**
 * Sends every call except SUBSCRIBE on a keep-alive connection pool of its own, so no call waits
 * behind the endless SUBSCRIBE response. Every response body is read to the end, because undici
 * keeps a connection busy until its body is consumed.
 */
export class CallSender {
  private readonly agent: Agent;

  constructor(private readonly options: CallSenderOptions) {
    this.agent = new Agent({
      connections: 4,
      keepAliveTimeout: 30_000,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
    });
  }

  /**
   * POSTs one call with `Mesos-Stream-Id` and follows 307 redirects. Resolves with the URL that
   * accepted it (202, or 200 for UPDATE_FRAMEWORK). Throws MesosEncodeError for an invalid call
   * before sending, and SchedulerClientError for a transport failure or any other status.
   */
  async send(url: string, call: Call, streamId: string): Promise<string> {
    const body = encodeCall(call, this.options.contentType);
    const headers = buildRequestHeaders(
      this.options.contentType,
      this.options.credentials,
      streamId,
    );

    let target = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const response = await this.post(target, body, headers);
      if (response.statusCode === 307) {
        await response.body.dump();
        target = this.redirectTarget(response, target);
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
    await this.agent.close();
  }

  private async post(
    url: string,
    body: Uint8Array,
    headers: Record<string, string>,
  ): Promise<Dispatcher.ResponseData> {
    try {
      return await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
    } catch (error) {
      throw errorForTransport(error, url);
    }
  }

  private redirectTarget(response: Dispatcher.ResponseData, from: string): string {
    const location = headerValue(response.headers.location);
    const target = resolveRedirect(location, from);
    if (!target) {
      throw new SchedulerClientError(
        SchedulerErrorCode.redirectFailed,
        `307 from ${from} without a usable Location (${String(location)})`,
        {
          temporary: true,
          status: 307,
          url: from,
        },
      );
    }
    return target;
  }
}
