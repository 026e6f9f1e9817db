import type { IncomingMessage, ServerResponse } from 'node:http';

/** The headers of a response without body or extra headers, such as the 202 of most calls. */
const EMPTY_RESPONSE_HEADERS: Readonly<Record<string, string>> = { 'Content-Length': '0' };

/** Writes a response with a `text/plain; charset=utf-8` body, the type of Mesos error bodies. */
export function sendText(
  response: ServerResponse,
  status: number,
  body = '',
  headers?: Record<string, string>,
): void {
  if (body === '') {
    response.writeHead(
      status,
      headers ? { ...EMPTY_RESPONSE_HEADERS, ...headers } : EMPTY_RESPONSE_HEADERS,
    );
    response.end();
    return;
  }

  const payload = Buffer.from(body, 'utf8');
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(payload.length),
    ...headers,
  });
  response.end(payload);
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const payload = Buffer.from(JSON.stringify(value), 'utf8');
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(payload.length),
  });
  response.end(payload);
}

/** Reads a whole request body. */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Returns a header's value; repeated headers are joined with `, ` by Node. */
export function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
