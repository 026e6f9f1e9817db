import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MesosContentType } from '../../shared/mesos/index.js';
import type { MasterContext } from '../master/context.js';
import { dispatchCall } from '../master/dispatch.js';
import { handleStreamClosed } from '../master/framework-lifecycle.js';
import { subscribe } from '../master/subscribe.js';
import type { Call } from '../mesos-types.js';
import { validateCall } from '../validation/call-validation.js';
import { negotiateStreamType } from './accept-header.js';
import {
  MASTER_SCHEDULER_PATH,
  checkLeadership,
  decodeRequestBody,
  type Answer,
} from './request-checks.js';
import { authenticate } from './authentication.js';
import type { CallLog, CallLogEntry } from './call-log.js';
import { header, readBody, sendText } from './responses.js';
import { SubscriptionStream } from './subscription-stream.js';

export const SCHEDULER_PATHS: ReadonlySet<string> = new Set([
  '/api/v1/scheduler',
  MASTER_SCHEDULER_PATH,
]);

export interface SchedulerEndpoint {
  ctx: MasterContext;
  callLog: CallLog;
  streams: Set<SubscriptionStream>;
}

/** A 200 stream already written to the response. */
const STREAMING = { status: 200 } as const;

/**
 * Serves `POST /api/v1/scheduler` with the Mesos master's checks in its order. First come
 * credentials (401), leadership (307, 503), method (405), Content-Type (400, 415), body (400),
 * call validation (400) and Accept (406). SUBSCRIBE then opens its stream. Other calls pass
 * the framework, connection and `Mesos-Stream-Id` checks (400, 403) before they run.
 */
export async function handleSchedulerRequest(
  endpoint: SchedulerEndpoint,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const entry: CallLogEntry = {
    receivedAt: new Date().toISOString(),
    method: request.method ?? '',
    path: url.pathname,
    status: 0,
  };
  copyHeaders(request, entry);

  const body = await readBody(request);
  const answer = answerRequest(endpoint, request, response, url, body, entry);
  if (answer !== STREAMING) {
    sendText(response, answer.status, answer.body ?? '', answer.headers);
  }
  entry.status = answer.status;
  endpoint.callLog.add(entry);
}

function copyHeaders(request: IncomingMessage, entry: CallLogEntry): void {
  const streamId = header(request, 'mesos-stream-id');
  const contentType = header(request, 'content-type');
  const accept = header(request, 'accept');
  if (streamId !== undefined) {
    entry.streamId = streamId;
  }
  if (contentType !== undefined) {
    entry.contentType = contentType;
  }
  if (accept !== undefined) {
    entry.accept = accept;
  }
}

function answerRequest(
  endpoint: SchedulerEndpoint,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  body: Buffer,
  entry: CallLogEntry,
): Answer {
  const { ctx } = endpoint;
  const auth = authenticate(ctx.options.credentials, header(request, 'authorization'));
  if (!auth.ok) {
    return { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="mesos-master-scheduler"' } };
  }

  const leadership = checkLeadership(ctx, url);
  if (leadership !== undefined) {
    return leadership;
  }

  if (request.method !== 'POST') {
    return {
      status: 405,
      body: `405 Method Not Allowed. Expecting one of { 'POST' }, but received '${request.method ?? ''}'.`,
      headers: { Allow: 'POST' },
    };
  }

  const decoded = decodeRequestBody(header(request, 'content-type'), body);
  if ('status' in decoded) {
    return decoded;
  }
  const call = decoded.call;
  recordCall(call, entry);

  const invalid = validateCall(call, auth.principal);
  if (invalid !== undefined) {
    return { status: 400, body: `Failed to validate scheduler::Call: ${invalid}` };
  }

  return answerValidCall(endpoint, request, response, call, auth.principal);
}

function recordCall(call: Call, entry: CallLogEntry): void {
  if (call.type !== undefined) {
    entry.type = String(call.type);
  }
  const frameworkId = call.framework_id?.value ?? call.subscribe?.framework_info.id?.value;
  if (frameworkId !== undefined) {
    entry.frameworkId = frameworkId;
  }
}

function answerValidCall(
  endpoint: SchedulerEndpoint,
  request: IncomingMessage,
  response: ServerResponse,
  call: Call,
  principal: string | undefined,
): Answer {
  const { ctx } = endpoint;
  const streamType =
    call.type === 'SUBSCRIBE' || call.type === 'RECONCILE_OPERATIONS'
      ? negotiateStreamType(header(request, 'accept'))
      : undefined;
  if (
    streamType === undefined &&
    (call.type === 'SUBSCRIBE' || call.type === 'RECONCILE_OPERATIONS')
  ) {
    return {
      status: 406,
      body: "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'",
    };
  }

  if (call.type === 'SUBSCRIBE') {
    if (header(request, 'mesos-stream-id') !== undefined) {
      return {
        status: 400,
        body: "Subscribe calls should not include the 'Mesos-Stream-Id' header",
      };
    }
    openStream(endpoint, response, streamType!, call);
    return STREAMING;
  }

  const framework = ctx.frameworks.get(call.framework_id!.value);
  if (framework === undefined) {
    return { status: 400, body: 'Framework cannot be found' };
  }
  if (principal !== undefined && principal !== (framework.info.principal ?? '')) {
    return {
      status: 400,
      body: `Authenticated principal '${principal}' does not match principal '${framework.info.principal ?? ''}' set in \`FrameworkInfo\``,
    };
  }
  if (!framework.connected) {
    return { status: 403, body: 'Framework is not subscribed' };
  }

  const streamId = header(request, 'mesos-stream-id');
  if (streamId === undefined) {
    return {
      status: 400,
      body: "All non-subscribe calls should include the 'Mesos-Stream-Id' header",
    };
  }
  if (streamId !== framework.stream!.streamId) {
    return {
      status: 400,
      body: `The stream ID '${streamId}' included in this request didn't match the stream ID currently associated with framework ID ${framework.id}`,
    };
  }

  return dispatchCall(ctx, framework, call);
}

function openStream(
  endpoint: SchedulerEndpoint,
  response: ServerResponse,
  contentType: MesosContentType,
  call: Call,
): void {
  const stream = new SubscriptionStream(endpoint.ctx, response, contentType);
  endpoint.streams.add(stream);
  stream.onClose((closed) => {
    endpoint.streams.delete(closed);
    handleStreamClosed(endpoint.ctx, closed);
  });
  stream.open();
  subscribe(endpoint.ctx, stream, call.subscribe!);
}
