import { z } from 'zod';
import { ConfigError } from './errors.js';

const positiveInteger = z.coerce.number().int().positive();

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
  .pipe(z.array(z.string().regex(/^(https?:\/\/)?[^\s/,]+(:\d+)?(\/\S*)?$/)).min(1));

const tokenList = z.string().transform((value) =>
  value
    .split(',')
    .map((token) => token.trim())
    .filter(Boolean),
);

/** Every environment variable the product reads, with its rule and default. */
const environmentSchema = z.object({
  MESOS_MASTER: masterList.optional(),
  MESOS_CONTENT_TYPE: z.enum(['protobuf', 'json']).default('protobuf'),
  MESOS_PRINCIPAL: z.string().min(1).optional(),
  MESOS_SECRET: z.string().min(1).optional(),
  MESOS_ROLE: z.string().min(1).default('*'),
  FRAMEWORK_NAME: z.string().min(1).default('mesos-launch'),
  FRAMEWORK_USER: z.string().min(1).default('root'),
  FAILOVER_TIMEOUT_SECONDS: z.coerce.number().nonnegative().default(604_800),
  REDIS_URL: z.string().min(1).optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .default('ml'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  WORKER_PORT: z.coerce.number().int().min(0).max(65_535).default(8081),
  API_TOKENS: tokenList.optional(),
  FORWARD_SECRET: z.string().min(16).optional(),
  LAUNCH_ATTEMPTS: positiveInteger.max(20).default(3),
  LAUNCH_TIMEOUT_SECONDS: positiveInteger.default(600),
  REFUSE_SECONDS: z.coerce.number().nonnegative().default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Hints printed beside a rejected variable, saying what a valid value looks like. */
const FIX_HINTS: Record<string, string> = {
  MESOS_MASTER:
    'use host:port or a URL, several separated by commas, e.g. 10.0.0.1:5050,10.0.0.2:5050',
  MESOS_CONTENT_TYPE: 'use protobuf or json',
  PORT: 'use a TCP port from 0 to 65535; 0 picks a free port',
  WORKER_PORT: 'use a TCP port from 0 to 65535; 0 picks a free port',
  FORWARD_SECRET: 'use a random string of at least 16 characters',
  REDIS_PREFIX: 'use letters, digits, dot, dash or underscore',
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
  launch: { attempts: number; timeoutSeconds: number; refuseSeconds: number };
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
    },
    logLevel: env.LOG_LEVEL,
  };
}
