import { Client } from 'undici';
import type { Dispatcher } from 'undici';
import { isMesosContentType, type MesosContentType } from '../../shared/mesos/index.js';
import { MAX_REDIRECTS } from './call-sender.js';
import {
  SchedulerClientError,
  SchedulerErrorCode,
  errorForStatus,
  errorForTransport,
} from './errors.js';
import { redirectTarget } from './redirect-target.js';
import { headerValue } from './request-headers.js';

export interface OpenStreamOptions {
  url: string;
  body: Uint8Array;
  headers: Record<string, string>;
  /** Limit for the status line and headers; the body has no timeout, the watchdog covers it. */
  headersTimeoutMs: number;
  signal: AbortSignal;
  /** Called for each 307 with the leader's URL before it is tried. */
  onRedirect: (leaderUrl: string) => void;
}

/** An accepted SUBSCRIBE: the RecordIO event stream and the response headers that describe it. */
export interface OpenStream {
  url: string;
  streamId: string;
  contentType: MesosContentType;
  body: Dispatcher.ResponseData['body'];
  /** Closes the dedicated connection. */
  close(): Promise<void>;
}

/**
 * POSTs SUBSCRIBE on a connection of its own (one undici Client per attempt, `bodyTimeout: 0`)
 * and follows 307 redirects to the leading master. Resolves once a master responds with 200 with a
 * `Mesos-Stream-Id`; throws SchedulerClientError otherwise.
 */
export async function openEventStream(options: OpenStreamOptions): Promise<OpenStream> {
  let target = options.url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const client = new Client(new URL(target).origin, {
      bodyTimeout: 0,
      headersTimeout: options.headersTimeoutMs,
      pipelining: 1,
    });

    const response = await post(client, target, options);
    if (response.statusCode === 307) {
      await response.body.dump();
      await client.close();
      target = redirectTarget(response, target);
      options.onRedirect(target);
      continue;
    }

    if (response.statusCode !== 200) {
      const text = await response.body.text().catch(() => '');
      await client.destroy();
      throw errorForStatus(response.statusCode, text, target);
    }

    return acceptedStream(client, response, target);
  }

  throw new SchedulerClientError(
    SchedulerErrorCode.redirectFailed,
    `More than ${MAX_REDIRECTS} redirects for SUBSCRIBE from ${options.url}`,
    {
      temporary: true,
      url: options.url,
    },
  );
}

async function post(
  client: Client,
  target: string,
  options: OpenStreamOptions,
): Promise<Dispatcher.ResponseData> {
  const url = new URL(target);
  try {
    return await client.request({
      method: 'POST',
      path: `${url.pathname}${url.search}`,
      headers: options.headers,
      body: options.body,
      signal: options.signal,
    });
  } catch (error) {
    await client.destroy();
    throw options.signal.aborted ? options.signal.reason : errorForTransport(error, target);
  }
}

async function acceptedStream(
  client: Client,
  response: Dispatcher.ResponseData,
  url: string,
): Promise<OpenStream> {
  const streamId = headerValue(response.headers['mesos-stream-id']);
  const contentType = headerValue(response.headers['content-type']);
  if (!streamId || !isMesosContentType(contentType)) {
    response.body.destroy();
    await client.destroy();
    const problem = streamId
      ? `unsupported Content-Type ${String(contentType)}`
      : 'no Mesos-Stream-Id header';
    throw new SchedulerClientError(
      SchedulerErrorCode.streamMalformed,
      `SUBSCRIBE response from ${url} has ${problem}`,
      {
        temporary: true,
        status: 200,
        url,
      },
    );
  }

  return { url, streamId, contentType, body: response.body, close: () => client.destroy() };
}
