import type { MesosContentType } from '../../shared/mesos/index.js';

export interface Credentials {
  principal: string;
  secret: string;
}

/**
 * Builds the headers of a scheduler API request. `Content-Type` must equal the media type
 * exactly (a `; charset` suffix gets 415), and `Accept` selects the encoding of the SUBSCRIBE
 * stream. `Mesos-Stream-Id` goes on every call except SUBSCRIBE, which gets 400 with it.
 */
export function buildRequestHeaders(
  contentType: MesosContentType,
  credentials: Credentials | undefined,
  streamId?: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': contentType,
    accept: contentType,
  };

  if (credentials) {
    const token = Buffer.from(`${credentials.principal}:${credentials.secret}`, 'utf8').toString(
      'base64',
    );
    headers.authorization = `Basic ${token}`;
  }

  if (streamId !== undefined) {
    headers['mesos-stream-id'] = streamId;
  }
  return headers;
}

/** Returns the first value of a response header. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
