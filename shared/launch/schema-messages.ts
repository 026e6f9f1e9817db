import type { z } from 'zod';

/**
 * How to fix each field of a launch request, by field pattern: array indexes and the keys of
 * `env` and `labels` are written `*`.
 */
const FIELD_FIXES: Record<string, string> = {
  '': 'send a JSON object with at least "image", e.g. {"image": "centos:6.6"}',
  image:
    'use [registry[:port]/]repository[:tag][@sha256:<64 hex digits>], e.g. "ugistry.ucloud.cn/library/centos:6.6"',
  command: 'give the shell command as one non-empty string, e.g. "echo hello"',
  args: 'give a list of strings, e.g. ["--port", "8080"]',
  'args.*': 'give each argument as a string of at most 8192 characters',
  network: 'use one of "host", "bridge", "none" or "user"',
  network_name:
    'use the name of a user-defined Docker network: letters, digits, "_", "." or "-", starting with a letter or digit',
  ports: 'give a list of at most 64 port mappings, e.g. [{"container_port": 8888}]',
  'ports.*': 'give each mapping as an object such as {"container_port": 8888, "protocol": "tcp"}',
  'ports.*.container_port': 'use an integer from 1 to 65535',
  'ports.*.host_port': 'use an integer from 1 to 65535, or 0 (or omit it) for any offered port',
  'ports.*.protocol': 'use "tcp" or "udp"',
  cpus: 'use a number of CPUs from 0.001 to 256, e.g. 0.5',
  mem: 'give memory in MB from 32 to 1048576, e.g. 128',
  disk: 'give disk in MB from 0 to 16777216; 0 requests no disk',
  env: 'give an object of at most 256 string values, e.g. {"GREETING": "hello"}',
  'env.*': 'give the value as a string of at most 8192 characters, e.g. "8080" rather than 8080',
  'env.<key>':
    'use letters, digits and "_", starting with a letter or "_", and not the MESOS_ prefix, e.g. "APP_PORT"',
  labels: 'give an object of at most 256 string values, e.g. {"team": "infra"}',
  'labels.*': 'give the value as a string of at most 8192 characters',
  'labels.<key>': 'use a non-empty key of at most 8192 characters',
  force_pull_image: 'use true or false',
  name: 'use a string of 1 to 255 characters',
  timeout_seconds: 'use a whole number of seconds from 1 to 86400',
};

/** Writes an issue path the way JavaScript would address it: `ports[0].host_port`, `env["A B"]`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) {
    return '(body)';
  }

  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      text += `[${segment}]`;
    } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(segment))) {
      text += text === '' ? String(segment) : `.${String(segment)}`;
    } else {
      text += `[${JSON.stringify(String(segment))}]`;
    }
  }

  return text;
}

/** Error map for `safeParse`: plain messages for the built-in checks, zod's for the rest. */
export const describeIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `must be ${describeExpectedType(issue.expected)}, not ${describeValueType(issue.input)}`;
    case 'too_small':
      return describeBound(
        issue.origin,
        'at least',
        'greater than',
        issue.minimum,
        issue.inclusive,
      );
    case 'too_big':
      return describeBound(issue.origin, 'at most', 'less than', issue.maximum, issue.inclusive);
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return 'has characters that are not allowed';
    default:
      return undefined;
  }
};

/** Returns how to fix the field an issue is about. */
export function fixForIssue(issue: z.core.$ZodIssue): string {
  const custom = issue.code === 'custom' ? issue.params?.fix : undefined;
  if (typeof custom === 'string') {
    return custom;
  }

  const pattern = fieldPattern(issue.path);
  const lookup = issue.code === 'invalid_key' ? `${parentPattern(pattern)}.<key>` : pattern;
  return FIELD_FIXES[lookup] ?? 'check the field against the API documentation at /docs';
}

/** Returns how to fix an unknown field, with a "did you mean" hint for a likely typo. */
export function fixForUnknownField(key: string, known: readonly string[]): string {
  const suggestion = known.find((name) => editDistance(name, key) <= 2);
  const hint = suggestion ? `did you mean "${suggestion}"? ` : '';

  return `${hint}remove it, or use one of the known fields: ${known.join(', ')}`;
}

function fieldPattern(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => {
      const isMapKey = index === 1 && (path[0] === 'env' || path[0] === 'labels');
      return typeof segment === 'number' || isMapKey ? '*' : String(segment);
    })
    .join('.');
}

function parentPattern(pattern: string): string {
  return pattern.slice(0, Math.max(0, pattern.lastIndexOf('.')));
}

function describeBound(
  origin: string,
  inclusiveWord: string,
  exclusiveWord: string,
  bound: number | bigint,
  inclusive: boolean | undefined,
): string {
  const word = inclusive === false ? exclusiveWord : inclusiveWord;

  if (origin === 'string' && bound === 1 && inclusive !== false && inclusiveWord === 'at least') {
    return 'must not be empty';
  }

  if (origin === 'string') {
    return `must have ${word} ${bound} characters`;
  }

  if (origin === 'array' || origin === 'set') {
    return `must have ${word} ${bound} entries`;
  }

  return `must be ${word} ${bound}`;
}

function describeExpectedType(expected: string): string {
  const names: Record<string, string> = {
    int: 'a whole number',
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
    record: 'an object',
  };

  return names[expected] ?? expected;
}

function describeValueType(value: unknown): string {
  if (value === null) {
    return 'null';
  }

  if (Array.isArray(value)) {
    return 'a list';
  }

  if (typeof value === 'number' && !Number.isInteger(value)) {
    return 'a fraction';
  }

  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Levenshtein distance, for the "did you mean" hint on unknown fields. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) {
    return 3;
  }

  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }

  return previous[b.length] ?? 0;
}
