import { LAUNCH_REQUEST_FIELDS } from '../../../shared/launch/schema.js';

/** One generated HTTP request for the launch API. */
export interface GeneratedRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array<ArrayBuffer>;
}

/** A small seeded generator (mulberry32), so a failing input can be produced again. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let value = this.#state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  }

  integer(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.integer(items.length)] as T;
  }

  string(maxLength: number): string {
    const alphabets = [
      'abcxyz_-.:/@',
      'ABC019 \t\n"\\{}[]',
      'é漢字🚀\u0000\u001f\u2028',
      '\ud800\udfff',
    ];
    const alphabet = [...this.pick(alphabets), ...this.pick(alphabets)];
    return Array.from({ length: this.integer(maxLength + 1) }, () => this.pick(alphabet)).join('');
  }
}

const FIELD_NAMES = [
  ...LAUNCH_REQUEST_FIELDS,
  'container_port',
  'host_port',
  'protocol',
  '__proto__',
  'constructor',
  'x',
];

const NUMBERS = [0, -1, 1, 0.5, 0.0001, 31, 32, 65_535, 65_536, 1e308, -1e308, 2 ** 53 + 1, 1e-300];

/** Generates a random JSON value, at most `depth` levels deep. */
export function randomJson(random: Random, depth: number): unknown {
  const kind = random.integer(depth > 0 ? 7 : 5);

  switch (kind) {
    case 0:
      return null;
    case 1:
      return random.next() < 0.5;
    case 2:
      return random.next() < 0.5
        ? random.pick(NUMBERS)
        : (random.next() - 0.5) * 10 ** random.integer(12);
    case 3:
    case 4:
      return random.string(40);
    case 5:
      return Array.from({ length: random.integer(5) }, () => randomJson(random, depth - 1));
    default:
      return Object.fromEntries(
        Array.from({ length: random.integer(6) }, () => [
          random.next() < 0.7 ? random.pick(FIELD_NAMES) : random.string(12),
          randomJson(random, depth - 1),
        ]),
      );
  }
}

/** Builds a mostly valid launch request with one to three fields replaced, removed or added. */
export function mutatedRequest(random: Random): Record<string, unknown> {
  const request: Record<string, unknown> = {
    image: random.pick(['centos:6.6', 'ugistry.ucloud.cn/library/centos:6.6', 'busybox']),
    network: random.pick(['host', 'bridge', 'none', 'user']),
    ports: [{ container_port: 8888 }],
    env: { GREETING: 'hello' },
  };

  for (let count = random.integer(3) + 1; count > 0; count -= 1) {
    const field = random.pick(FIELD_NAMES);
    if (random.next() < 0.2) {
      delete request[field];
    } else {
      request[field] = randomJson(random, 3);
    }
  }

  return request;
}

function deeplyNested(random: Random): string {
  const depth = 1_000 + random.integer(25_000);
  const [open, close] = random.pick([
    ['[', ']'],
    ['{"a":', '}'],
    ['{"args":[', ']}'],
  ]);
  const inner = random.next() < 0.5 ? '1' : '';

  return `${open.repeat(depth)}${inner}${close.repeat(random.next() < 0.8 ? depth : depth - 1)}`;
}

function invalidUtf8(random: Random): Uint8Array<ArrayBuffer> {
  const valid = new TextEncoder().encode(JSON.stringify({ image: 'centos', command: 'echo hi' }));
  const bad = random.pick([
    [0xff],
    [0xc0, 0x80],
    [0xed, 0xa0, 0x80],
    [0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xe2, 0x82],
  ]);
  const at = 1 + random.integer(valid.length - 2);

  return new Uint8Array([...valid.slice(0, at), ...bad, ...valid.slice(at)]);
}

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  '',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  '*/*',
];

const encoder = new TextEncoder();

/** Generates one request of a random kind. */
export function generateRequest(random: Random): GeneratedRequest {
  const json = { 'content-type': 'application/json' };
  const post = (
    kind: string,
    body: Uint8Array<ArrayBuffer> | string,
    headers: Record<string, string> = json,
  ): GeneratedRequest => ({
    kind,
    method: 'POST',
    path: '/v1/launches',
    headers,
    body: typeof body === 'string' ? encoder.encode(body) : body,
  });

  switch (random.integer(11)) {
    case 0:
      return post('random JSON', JSON.stringify(randomJson(random, 4)));
    case 1:
    case 2:
      return post('mutated request', JSON.stringify(mutatedRequest(random)));
    case 3:
      return post(
        'huge string',
        JSON.stringify({
          image: 'busybox',
          [random.pick(FIELD_NAMES)]: 'x'.repeat(50_000 + random.integer(30_000)),
        }),
      );
    case 4:
      return post('deep nesting', deeplyNested(random));
    case 5:
      return post('invalid UTF-8', invalidUtf8(random));
    case 6:
      return post(
        'content type',
        JSON.stringify({ image: 'busybox' }),
        random.pick(CONTENT_TYPES) ? { 'content-type': random.pick(CONTENT_TYPES) } : {},
      );
    case 7: {
      const text = JSON.stringify(mutatedRequest(random));
      return post('truncated JSON', text.slice(0, random.integer(text.length)));
    }
    case 8:
      return post('idempotency key', JSON.stringify({ image: 'busybox' }), {
        ...json,
        'idempotency-key': random.string(300).replace(/[^\x20-\x7e]/g, ''),
      });
    case 9:
      return {
        kind: 'launch id',
        method: random.pick(['GET', 'DELETE', 'PUT', 'PATCH']),
        path: `/v1/launches/${encodeURIComponent(random.string(60))}`,
        headers: {},
      };
    default:
      return {
        kind: 'list query',
        method: 'GET',
        path: `/v1/launches?${random.pick(['state', 'limit', 'cursor', 'x'])}=${encodeURIComponent(random.string(50))}&${random.pick(['state', 'limit', 'cursor'])}=${encodeURIComponent(random.string(10))}`,
        headers: {},
      };
  }
}
