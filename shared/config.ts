import { z } from 'zod';
import { ConfigError } from './errors.js';
import { redisOptionsFromUrl } from './redis-connection.js';

/**
 * A whole number written in decimal digits, so that a blank value, `0x50` or `1e3` is rejected
 * instead of read as 0, 80 or 1000.
 */
const wholeNumber = z
  .string()
  .trim()
  .regex(/^\d{1,15}$/, 'must be a whole number written in digits')
  .transform(Number);

/** A number of seconds written in decimal digits, with an optional fraction such as `2.5`. */
const decimalNumber = z
  .string()
  .trim()
  .regex(/^\d{1,15}(\.\d{1,9})?$/, 'must be a number written in digits, e.g. 5 or 2.5')
  .transform(Number);

const tcpPort = wholeNumber.pipe(z.number().max(65_535, 'must be at most 65535'));

const masterList = z
  .string()
  .trim()
  .min(1)
  .transform((value) =>
    value
      .split(',')
      .map((master) => master.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^(https?:\/\/)?[^\s/,]+(:\d+)?(\/\S*)?$/)
          .refine(isMasterAddress, 'is not a host:port or an http(s) URL'),
      )
      .min(1, 'names no master'),
  );

const tokenList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((token) => token.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1, 'names no token'));

/** A Mesos role: `*`, or `/`-separated names without whitespace, not `.`, `..` or `-`-leading. */
const role = z.string().refine(isMesosRole, 'is not a valid Mesos role');

/** A host name or an IP address to listen on. */
const listenHost = z.string().regex(/^([0-9A-Fa-f:.]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/, {
  message: 'is not a host name or an IP address',
});

/** Every environment variable the product reads, with its rule and default. */
const environmentSchema = z.object({
  MESOS_MASTER: masterList.optional(),
  MESOS_CONTENT_TYPE: z.enum(['protobuf', 'json']).default('protobuf'),
  MESOS_PRINCIPAL: z.string().min(1).optional(),
  MESOS_SECRET: z.string().min(1).optional(),
  MESOS_ROLE: role.default('*'),
  FRAMEWORK_NAME: z.string().min(1).default('mesos-launch'),
  FRAMEWORK_USER: z.string().min(1).default('root'),
  FAILOVER_TIMEOUT_SECONDS: decimalNumber.default(604_800),
  REDIS_URL: z.string().min(1).refine(isRedisUrl, 'is not a Redis address').optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .default('ml'),
  HOST: listenHost.default('127.0.0.1'),
  PORT: tcpPort.default(8080),
  WORKER_PORT: tcpPort.default(8081),
  API_TOKENS: tokenList.optional(),
  FORWARD_SECRET: z.string().min(16).optional(),
  LAUNCH_ATTEMPTS: wholeNumber.pipe(z.number().min(1).max(20)).default(3),
  LAUNCH_TIMEOUT_SECONDS: wholeNumber.pipe(z.number().min(1)).default(600),
  REFUSE_SECONDS: decimalNumber.default(5),
  OFFER_HOLD_SECONDS: decimalNumber.default(2),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Hints printed beside a rejected variable, saying what a valid value looks like. */
const FIX_HINTS: Record<string, string> = {
  MESOS_MASTER:
    'use host:port or a URL, several separated by commas, e.g. 10.0.0.1:5050,10.0.0.2:5050',
  MESOS_CONTENT_TYPE: 'use protobuf or json',
  MESOS_PRINCIPAL: 'give the principal the master knows, or unset it together with MESOS_SECRET',
  MESOS_SECRET: 'give the secret of MESOS_PRINCIPAL, or unset both',
  MESOS_ROLE: 'use * or a role name such as dev or team/dev, without spaces',
  FRAMEWORK_NAME: 'use any non-empty name, or unset it for mesos-launch',
  FRAMEWORK_USER: 'use a user that exists on the agents, or unset it for root',
  FAILOVER_TIMEOUT_SECONDS: 'use a number of seconds, e.g. 604800 for a week',
  REDIS_URL: 'use redis://host:port/db, rediss://host:port or unix:///path/to/redis.sock',
  REDIS_PREFIX: 'use letters, digits, dot, dash or underscore',
  HOST: 'use an address of this machine such as 127.0.0.1 or 0.0.0.0',
  PORT: 'use a TCP port from 0 to 65535; 0 picks a free port',
  WORKER_PORT: 'use a TCP port from 0 to 65535; 0 picks a free port',
  API_TOKENS: 'give one or more tokens separated by commas, or unset it for loopback-only access',
  FORWARD_SECRET: 'use a random string of at least 16 characters',
  LAUNCH_ATTEMPTS: 'use a whole number from 1 to 20',
  LAUNCH_TIMEOUT_SECONDS: 'use a whole number of seconds, e.g. 600',
  REFUSE_SECONDS: 'use a number of seconds, e.g. 5',
  OFFER_HOLD_SECONDS: 'use a number of seconds, e.g. 2, or 0 to decline unused offers at once',
  LOG_LEVEL: 'use fatal, error, warn, info, debug, trace or silent',
};

/** The product's configuration after validation. */
export interface Config {
  mesos: {
    masters: string[] | undefined;
    contentType: 'protobuf' | 'json';
    credentials: { principal: string; secret: string } | undefined;
    role: string;
  };
  framework: { name: string; user: string; failoverTimeoutSeconds: number };
  redis: { url: string | undefined; prefix: string };
  http: { host: string; port: number; workerPort: number };
  apiTokens: string[];
  forwardSecret: string | undefined;
  launch: {
    attempts: number;
    timeoutSeconds: number;
    refuseSeconds: number;
    /** How long an unused offer is held for launches that arrive later. */
    offerHoldSeconds: number;
  };
  logLevel: string;
}

/**
 * Reads and validates the configuration from the environment. Throws a `ConfigError` that names
 * every invalid variable, its rule and the fix, so a bad deployment fails at start-up.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);

  if (!parsed.success) {
    throw new ConfigError(describeIssues(parsed.error));
  }

  const env = parsed.data;
  if (Boolean(env.MESOS_PRINCIPAL) !== Boolean(env.MESOS_SECRET)) {
    throw new ConfigError('MESOS_PRINCIPAL and MESOS_SECRET must be set together, or neither');
  }

  return toConfig(env);
}

function isRedisUrl(value: string): boolean {
  try {
    redisOptionsFromUrl(value);
    return true;
  } catch {
    return false;
  }
}

function isMasterAddress(value: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    return false;
  }

  const withScheme = scheme === undefined ? `http://${value}` : value;
  try {
    const url = new URL(withScheme);
    return url.hostname !== '';
  } catch {
    return false;
  }
}

function isMesosRole(value: string): boolean {
  if (value === '*') {
    return true;
  }

  return value
    .split('/')
    .every((part) => part !== '' && part !== '.' && part !== '..' && /^[^-\s*][^\s]*$/.test(part));
}

function describeIssues(error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? 'environment');
    const hint = FIX_HINTS[variable];
    return `${variable}: ${issue.message}${hint ? ` (${hint})` : ''}`;
  });

  return `invalid configuration:\n  ${lines.join('\n  ')}`;
}

function toConfig(env: z.infer<typeof environmentSchema>): Config {
  const credentials =
    env.MESOS_PRINCIPAL && env.MESOS_SECRET
      ? { principal: env.MESOS_PRINCIPAL, secret: env.MESOS_SECRET }
      : undefined;

  return {
    mesos: {
      masters: env.MESOS_MASTER,
      contentType: env.MESOS_CONTENT_TYPE,
      credentials,
      role: env.MESOS_ROLE,
    },
    framework: {
      name: env.FRAMEWORK_NAME,
      user: env.FRAMEWORK_USER,
      failoverTimeoutSeconds: env.FAILOVER_TIMEOUT_SECONDS,
    },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    http: { host: env.HOST, port: env.PORT, workerPort: env.WORKER_PORT },
    apiTokens: env.API_TOKENS ?? [],
    forwardSecret: env.FORWARD_SECRET,
    launch: {
      attempts: env.LAUNCH_ATTEMPTS,
      timeoutSeconds: env.LAUNCH_TIMEOUT_SECONDS,
      refuseSeconds: env.REFUSE_SECONDS,
      offerHoldSeconds: env.OFFER_HOLD_SECONDS,
    },
    logLevel: env.LOG_LEVEL,
  };
}
