import { decodeCall, type MesosContentType } from '../../shared/mesos/index.js';
import type { MasterContext } from '../master/context.js';
import type { Call } from '../mesos-types.js';

/** The status, body and headers of a response the endpoint writes in one piece. */
export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** The path Mesos rewrites `/api/v1/scheduler` to; redirects always name it. */
export const MASTER_SCHEDULER_PATH = '/master/api/v1/scheduler';

/** Returns 307 or 503 while this master does not lead, 503 while unavailable, else undefined. */
export function checkLeadership(ctx: MasterContext, url: URL): Answer | undefined {
  const redirectTo = ctx.faults.redirectTo;
  if (redirectTo === null) {
    return { status: 503, body: 'No leader elected' };
  }
  if (redirectTo !== undefined) {
    return {
      status: 307,
      headers: { Location: `//${redirectTo}${MASTER_SCHEDULER_PATH}${url.search}` },
    };
  }
  if (ctx.faults.unavailable) {
    return { status: 503, body: 'Master has not finished recovery' };
  }
  return undefined;
}

/** Checks Content-Type and decodes the body, or returns the 400 or 415 the master sends. */
export function decodeRequestBody(
  contentType: string | undefined,
  body: Buffer,
): { call: Call } | Answer {
  if (contentType === undefined) {
    return { status: 400, body: "Expecting 'Content-Type' to be present" };
  }
  if (contentType !== 'application/json' && contentType !== 'application/x-protobuf') {
    return {
      status: 415,
      body: "Expecting 'Content-Type' of application/json or application/x-protobuf",
    };
  }

  try {
    return { call: decodeCall(body, contentType) };
  } catch (error) {
    return { status: 400, body: decodeErrorBody(contentType, (error as Error).message) };
  }
}

/** Mesos's 400 texts: protobuf failures carry no detail; JSON ones separate syntax from shape. */
function decodeErrorBody(contentType: MesosContentType, message: string): string {
  if (contentType === 'application/x-protobuf') {
    return 'Failed to parse body into Call protobuf';
  }
  if (message.startsWith('Malformed JSON: ') || message.startsWith('Body is not valid UTF-8')) {
    return `Failed to parse body into JSON: ${message.replace(/^Malformed JSON: /, '')}`;
  }
  return `Failed to convert JSON into Call protobuf: ${message}`;
}
