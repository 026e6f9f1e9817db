import type { Context } from 'hono';
import { ProblemError } from '../shared/launch/problem.js';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;
const MAX_PARSE_MESSAGE_LENGTH = 200;

/**
 * Reads a JSON request body. Throws ProblemError UNSUPPORTED_MEDIA_TYPE for a body that is not
 * declared as JSON, and INVALID_JSON for an empty body, invalid UTF-8 or a JSON syntax error.
 * The body is read before any check, so that a rejected request leaves the connection usable
 * for the client's next request (the Node adapter closes a connection whose body was not read).
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  checkContentType(c.req.header('content-type'));

  if (bytes.byteLength === 0) {
    throw new ProblemError('INVALID_JSON', 'the request body is empty: send a JSON launch request');
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ProblemError('INVALID_JSON', 'the request body is not valid UTF-8');
  }

  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProblemError(
      'INVALID_JSON',
      `the request body is not valid JSON: ${reason.slice(0, MAX_PARSE_MESSAGE_LENGTH)}`,
    );
  }
}

function checkContentType(header: string | undefined): void {
  const [mediaType = '', ...parameters] = (header ?? '').split(';');
  const normalized = mediaType.trim().toLowerCase();
  const charset = parameters
    .map((parameter) => parameter.trim().toLowerCase())
    .find((parameter) => parameter.startsWith('charset='));

  if (!JSON_MEDIA_TYPE.test(normalized)) {
    const received = header ? `"${header.slice(0, 100)}"` : 'none';
    throw new ProblemError(
      'UNSUPPORTED_MEDIA_TYPE',
      `the body must be JSON with Content-Type: application/json (received ${received})`,
    );
  }

  if (charset !== undefined && !/^charset="?utf-8"?$/.test(charset)) {
    throw new ProblemError(
      'UNSUPPORTED_MEDIA_TYPE',
      `JSON bodies must be UTF-8; remove the charset parameter or set it to utf-8 (received ${charset})`,
    );
  }
}
