import { z } from 'zod';
import { parseImageReference } from './image-reference.js';
import {
  describeIssue,
  fixForIssue,
  fixForUnknownField,
  formatFieldPath,
} from './schema-messages.js';
import { NETWORK_MODES, PORT_PROTOCOLS, type LaunchRequest, type NetworkMode } from './types.js';

/**
 * Bounds of a launch request. The minimums come from Mesos. The maximums are sanity limits that
 * catch unit mistakes (GB given as MB) and oversized payloads, not limits of Mesos or Docker.
 */
export const LAUNCH_LIMITS = {
  /** Mesos keeps three decimal places of scalar resources, so less than 0.001 rounds to 0. */
  minCpus: 0.001,
  maxCpus: 256,
  /**
   * Mesos raises a smaller memory limit to 32 MB before it passes it to `docker run --memory`
   * (`MIN_MEMORY` in src/docker/docker.cpp), so a smaller request would not be honoured.
   */
  minMemMb: 32,
  maxMemMb: 1_048_576,
  maxDiskMb: 16_777_216,
  maxTimeoutSeconds: 86_400,
  maxPorts: 64,
  maxArgs: 256,
  maxEntries: 256,
  maxCommandLength: 32_768,
  maxValueLength: 8_192,
  maxNameLength: 255,
} as const;

/** Prefix of the environment variables Mesos sets for every task; requests may not set them. */
export const RESERVED_ENV_PREFIX = 'MESOS_';

const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NETWORK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const imageSchema = z.string().superRefine((image, ctx) => {
  const result = parseImageReference(image);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: `invalid image reference: ${result.reason}` });
  }
});

const envNameSchema = z.string().superRefine((name, ctx) => {
  const problem = checkEnvironmentName(name);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
  }
});

/** A UTF-16 surrogate without its pair, which has no UTF-8 form. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Creates a string schema that rejects NUL and lone surrogates, so the text reaches Mesos intact.
 * NUL ends a string in the C and C++ code of Mesos and Docker, where a command would be cut short.
 */
function textSchema(): z.ZodString {
  return z.string().refine((text) => !text.includes('\u0000') && !LONE_SURROGATE.test(text), {
    message: 'must not contain NUL characters or unpaired UTF-16 surrogates',
  });
}

const labelKeySchema = textSchema().min(1).max(LAUNCH_LIMITS.maxValueLength);

const stringValueSchema = textSchema().max(LAUNCH_LIMITS.maxValueLength);

/** One port mapping of a launch request. Rules that depend on `network` are in the request. */
export const portRequestSchema = z.strictObject({
  container_port: z.number().int().min(1).max(65_535).optional().meta({
    description: 'The port inside the container; required with bridge and user networking.',
  }),
  host_port: z.number().int().min(0).max(65_535).optional().meta({
    description: 'A fixed host port; 0 or absent means any port the offer has.',
  }),
  protocol: z.enum(PORT_PROTOCOLS).default('tcp'),
});

const launchRequestShape = {
  image: imageSchema.meta({ description: 'Docker image reference', example: 'centos:6.6' }),
  command: textSchema().min(1).max(LAUNCH_LIMITS.maxCommandLength).optional().meta({
    description: "Shell command run with /bin/sh -c; omit it to run the image's entrypoint.",
  }),
  args: z.array(stringValueSchema).max(LAUNCH_LIMITS.maxArgs).optional().meta({
    description: "Arguments for the image's entrypoint when command is omitted.",
  }),
  network: z.enum(NETWORK_MODES).default('host'),
  network_name: z
    .string()
    .min(1)
    .max(LAUNCH_LIMITS.maxNameLength)
    .regex(NETWORK_NAME_PATTERN)
    .optional()
    .meta({ description: 'The user-defined Docker network; required with network user.' }),
  ports: z.array(portRequestSchema).max(LAUNCH_LIMITS.maxPorts).default([]),
  cpus: z.number().min(LAUNCH_LIMITS.minCpus).max(LAUNCH_LIMITS.maxCpus).default(0.1),
  mem: z.number().min(LAUNCH_LIMITS.minMemMb).max(LAUNCH_LIMITS.maxMemMb).default(50).meta({
    description: 'Memory in MB',
  }),
  disk: z.number().min(0).max(LAUNCH_LIMITS.maxDiskMb).default(0).meta({
    description: 'Disk in MB; 0 requests none',
  }),
  env: z
    .preprocess(
      rejectPrototypeKey,
      z
        .record(envNameSchema, stringValueSchema)
        .refine((env) => Object.keys(env).length <= LAUNCH_LIMITS.maxEntries, {
          message: `must have at most ${LAUNCH_LIMITS.maxEntries} variables`,
        }),
    )
    .default({}),
  labels: z
    .preprocess(
      rejectPrototypeKey,
      z
        .record(labelKeySchema, stringValueSchema)
        .refine((labels) => Object.keys(labels).length <= LAUNCH_LIMITS.maxEntries, {
          message: `must have at most ${LAUNCH_LIMITS.maxEntries} labels`,
        }),
    )
    .default({}),
  force_pull_image: z.boolean().default(false),
  name: textSchema().min(1).max(LAUNCH_LIMITS.maxNameLength).optional(),
  timeout_seconds: z.number().int().min(1).max(LAUNCH_LIMITS.maxTimeoutSeconds).optional().meta({
    description: 'How long to wait for a fitting offer before the launch expires',
  }),
};

/** The names of the fields a launch request may have. */
export const LAUNCH_REQUEST_FIELDS = Object.keys(launchRequestShape);

const PORT_FIELDS = Object.keys(portRequestSchema.shape);

/**
 * The launch request schema: strict (unknown fields are rejected), with defaults applied and the
 * rules that combine fields (network, ports, command and args). The function validates request
 * bodies with it and the worker validates job payloads with it.
 */
export const launchRequestSchema = z
  .strictObject(launchRequestShape)
  .superRefine(checkFieldCombinations, { when: (payload) => isRecord(payload.value) });

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compile-time proof that the schema produces exactly the LaunchRequest type. */
export const SCHEMA_MATCHES_LAUNCH_REQUEST: Equals<
  z.output<typeof launchRequestSchema>,
  LaunchRequest
> = true;

/** One rejected field: its path (`ports[0].container_port`), what is wrong and how to fix it. */
export interface InvalidField {
  field: string;
  message: string;
  fix: string;
}

export type ParseLaunchRequestResult =
  { ok: true; request: LaunchRequest } | { ok: false; invalidFields: InvalidField[] };

/** Validates a decoded JSON body and returns the request, or every invalid field at once. */
export function parseLaunchRequest(input: unknown): ParseLaunchRequestResult {
  const result = launchRequestSchema.safeParse(input, { error: describeIssue });
  if (result.success) {
    return { ok: true, request: result.data };
  }

  return { ok: false, invalidFields: result.error.issues.flatMap(toInvalidFields) };
}

function toInvalidFields(issue: z.core.$ZodIssue): InvalidField[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: formatFieldPath([...issue.path, key]),
      message: 'is not a known field',
      fix: fixForUnknownField(key, issue.path.length === 0 ? LAUNCH_REQUEST_FIELDS : PORT_FIELDS),
    }));
  }

  // An invalid record key carries the key check's own message one level down.
  const keyMessage = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;

  return [
    {
      field: formatFieldPath(issue.path),
      message: keyMessage ?? issue.message,
      fix: fixForIssue(issue),
    },
  ];
}

/**
 * Rejects a `__proto__` key in `env` or `labels`. JSON.parse keeps it as an ordinary key, but zod
 * leaves it out of the parsed record, so the variable or label would vanish without an error.
 */
function rejectPrototypeKey(input: unknown, ctx: z.RefinementCtx): unknown {
  if (isRecord(input) && Object.hasOwn(input, '__proto__')) {
    ctx.addIssue({
      code: 'custom',
      path: ['__proto__'],
      message: '"__proto__" cannot be used as a name',
      params: { fix: 'rename the key' },
    });
  }

  return input;
}

function checkEnvironmentName(name: string): string | undefined {
  if (!ENV_NAME_PATTERN.test(name)) {
    return 'is not a valid environment variable name';
  }

  if (name.startsWith(RESERVED_ENV_PREFIX)) {
    return `starts with ${RESERVED_ENV_PREFIX}, which Mesos reserves for its own variables`;
  }

  return undefined;
}

type AddIssue = (path: PropertyKey[], message: string, fix: string) => void;

/**
 * Checks the rules that span several fields. It also runs when other fields are invalid, so
 * that every problem is reported at once, and therefore reads the value as untrusted input.
 */
function checkFieldCombinations(value: unknown, ctx: z.RefinementCtx): void {
  if (!isRecord(value)) {
    return;
  }

  const addIssue: AddIssue = (path, message, fix) => {
    ctx.addIssue({ code: 'custom', path, message, params: { fix } });
  };

  checkCommandAndArgs(value, addIssue);
  checkDuplicatePorts(value, addIssue);

  // An invalid network is reported on its own; the rules that depend on it would only add noise.
  if (NETWORK_MODES.includes(value.network as NetworkMode)) {
    checkNetworkName(value, addIssue);
    checkPortsForNetwork(value, addIssue);
  }
}

function checkNetworkName(value: Record<string, unknown>, addIssue: AddIssue): void {
  const hasName = value.network_name !== undefined;

  if (value.network === 'user' && !hasName) {
    addIssue(
      ['network_name'],
      'is required with network "user"',
      'set network_name to the user-defined Docker network to join, e.g. "app-net"',
    );
  }

  if (hasName && value.network !== 'user') {
    addIssue(
      ['network_name'],
      `is only allowed with network "user", not "${String(value.network)}"`,
      'remove network_name, or set network to "user"',
    );
  }
}

function checkCommandAndArgs(value: Record<string, unknown>, addIssue: AddIssue): void {
  if (value.command !== undefined && value.args !== undefined) {
    addIssue(
      ['args'],
      'cannot be combined with command',
      'send either command (run with /bin/sh -c) or args (passed to the image entrypoint), not both',
    );
  }
}

function checkPortsForNetwork(value: Record<string, unknown>, addIssue: AddIssue): void {
  const ports = portEntries(value);

  if (value.network === 'none' && ports.length > 0) {
    addIssue(
      ['ports'],
      'must be empty with network "none"',
      'remove ports, or choose network "bridge" or "user" to publish container ports',
    );
    return;
  }

  for (const [index, port] of ports) {
    if (value.network === 'bridge' || value.network === 'user') {
      if (port.container_port === undefined) {
        addIssue(
          ['ports', index, 'container_port'],
          `is required with network "${value.network}"`,
          'set container_port to the port the process listens on inside the container',
        );
      }
    } else if (port.container_port !== undefined) {
      addIssue(
        ['ports', index, 'container_port'],
        'is not allowed with network "host"',
        'remove container_port: with host networking the task listens on the host port itself, which it receives as PORT0, PORT1, ...',
      );
    }
  }
}

/**
 * Rejects a container port given twice for one protocol, and a fixed host port given twice for
 * any protocol: Mesos port resources carry no protocol, so one offer cannot provide it twice.
 */
function checkDuplicatePorts(value: Record<string, unknown>, addIssue: AddIssue): void {
  const containerPorts = new Map<string, number>();
  const hostPorts = new Map<number, number>();

  for (const [index, port] of portEntries(value)) {
    const protocol = port.protocol ?? 'tcp';

    if (typeof port.container_port === 'number') {
      const key = `${String(protocol)}/${port.container_port}`;
      const first = containerPorts.get(key);
      if (first === undefined) {
        containerPorts.set(key, index);
      } else {
        addIssue(
          ['ports', index, 'container_port'],
          `duplicates ports[${first}] (${key})`,
          'list each container port once per protocol',
        );
      }
    }

    if (typeof port.host_port === 'number' && port.host_port > 0) {
      const first = hostPorts.get(port.host_port);
      if (first === undefined) {
        hostPorts.set(port.host_port, index);
      } else {
        addIssue(
          ['ports', index, 'host_port'],
          `duplicates the host port of ports[${first}]`,
          'use each fixed host port once, or set host_port to 0 for any free port',
        );
      }
    }
  }
}

function portEntries(value: Record<string, unknown>): Array<[number, Record<string, unknown>]> {
  if (!Array.isArray(value.ports)) {
    return [];
  }

  const entries: Array<[number, Record<string, unknown>]> = [];
  value.ports.forEach((port: unknown, index) => {
    if (isRecord(port)) {
      entries.push([index, port]);
    }
  });

  return entries;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
