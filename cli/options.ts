import { NETWORK_MODES, type NetworkMode, type PortProtocol } from '../shared/launch/index.js';
import { UsageError } from './errors.js';
import {
  nonEmpty,
  parseEnv,
  parseExpose,
  parseMasters,
  readList,
  readNumber,
  readString,
} from './flag-values.js';
import type { RawFlags } from './parse-arguments.js';

/** One `-expose` value: a container port (bridge, user) or a host port (host). */
export interface ExposedPort {
  port: number;
  protocol?: PortProtocol;
}

/** The task to launch, the same in direct and API mode. */
export interface LaunchOptions {
  image: string;
  command?: string;
  network: NetworkMode;
  networkName?: string;
  expose: ExposedPort[];
  cpus: number;
  memMb: number;
  diskMb: number;
  env: Record<string, string>;
  name?: string;
  timeoutSeconds: number;
}

/** Direct mode: subscribe to the master as a framework of its own, with no Redis. */
export interface DirectTarget {
  kind: 'direct';
  masters: string[];
  contentType: 'protobuf' | 'json';
  credentials?: { principal: string; secret: string };
  role: string;
  user: string;
  failoverTimeoutSeconds: number;
}

/** API mode: submit to a running mesos-launch service and poll it. */
export interface ApiTarget {
  kind: 'api';
  baseUrl: URL;
  token?: string;
}

export interface CliOptions {
  launch: LaunchOptions;
  target: DirectTarget | ApiTarget;
}

export const DEFAULT_TIMEOUT_SECONDS = 120;
export const DEFAULT_FAILOVER_TIMEOUT_SECONDS = 604_800;

const DIRECT_ONLY_FLAGS = ['role', 'user', 'contentType', 'principal', 'secret', 'failoverTimeout'];

/**
 * Turns parsed flags into options, checking each flag on its own and the flags against each other.
 * Rules about the launch request itself (ports with `none`, `-networkName` without `user`, ...)
 * are left to the request schema, so flags and the HTTP API share them. `environment` supplies the
 * defaults of `-principal`, `-secret` and `--token`.
 */
export function toCliOptions(flags: RawFlags, environment: NodeJS.ProcessEnv): CliOptions {
  const launch = toLaunchOptions(flags);
  const master = readString(flags, 'master');
  const api = readString(flags, 'api');

  if (master !== undefined && api !== undefined) {
    throw new UsageError(
      '-master and --api were both given: use -master to launch directly, or --api to use a service',
    );
  }

  if (api !== undefined) {
    return { launch, target: toApiTarget(flags, api, environment) };
  }

  if (master !== undefined) {
    return { launch, target: toDirectTarget(flags, master, environment) };
  }

  throw new UsageError(
    'missing -master or --api: give -master HOST:PORT to launch directly on Mesos, or --api URL to use a running service',
  );
}

function toLaunchOptions(flags: RawFlags): LaunchOptions {
  checkContainerType(flags);

  const image = readString(flags, 'image');
  if (image === undefined || image.trim() === '') {
    throw new UsageError('missing -image: give the Docker image to run, e.g. -image centos:6.6');
  }

  return {
    image,
    command: readString(flags, 'cmd'),
    network: readNetwork(flags),
    networkName: readString(flags, 'networkName'),
    expose: readList(flags, 'expose').map(parseExpose),
    cpus: readNumber(flags, 'cpus', 0.1, { min: 0, exclusive: true, unit: 'CPUs' }),
    memMb: readNumber(flags, 'mem', 50, { min: 0, exclusive: true, unit: 'MB' }),
    diskMb: readNumber(flags, 'disk', 0, { min: 0, unit: 'MB' }),
    env: Object.fromEntries(readList(flags, 'env').map(parseEnv)),
    name: readString(flags, 'name'),
    timeoutSeconds: readNumber(flags, 'timeout', DEFAULT_TIMEOUT_SECONDS, {
      min: 0,
      exclusive: true,
      unit: 'seconds',
    }),
  };
}

function toDirectTarget(
  flags: RawFlags,
  master: string,
  environment: NodeJS.ProcessEnv,
): DirectTarget {
  if (flags.has('token')) {
    throw new UsageError(
      '--token applies only with --api; the master takes -principal and -secret',
    );
  }

  return {
    kind: 'direct',
    masters: parseMasters(master),
    contentType: readContentType(flags),
    credentials: readCredentials(flags, environment),
    role: readString(flags, 'role') ?? '*',
    user: readString(flags, 'user') ?? 'root',
    failoverTimeoutSeconds: readNumber(flags, 'failoverTimeout', DEFAULT_FAILOVER_TIMEOUT_SECONDS, {
      min: 0,
      unit: 'seconds',
    }),
  };
}

function toApiTarget(flags: RawFlags, api: string, environment: NodeJS.ProcessEnv): ApiTarget {
  const directFlag = DIRECT_ONLY_FLAGS.find((name) => flags.has(name));
  if (directFlag !== undefined) {
    throw new UsageError(
      `-${directFlag} applies only with -master; the service takes it from its own configuration, so drop it`,
    );
  }

  let baseUrl: URL;
  try {
    baseUrl = new URL(api);
  } catch {
    throw new UsageError(
      `invalid value "${api}" for --api: use an http or https URL, e.g. http://127.0.0.1:8080`,
    );
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    throw new UsageError(
      `invalid value "${api}" for --api: use an http or https URL, e.g. http://127.0.0.1:8080`,
    );
  }

  const token = readString(flags, 'token') ?? nonEmpty(environment.MESOS_LAUNCH_TOKEN);
  return token === undefined ? { kind: 'api', baseUrl } : { kind: 'api', baseUrl, token };
}

function checkContainerType(flags: RawFlags): void {
  const containerType = readString(flags, 'containerType');
  if (containerType !== undefined && containerType !== 'docker') {
    throw new UsageError(
      `invalid value "${containerType}" for -containerType: only docker is supported; use -containerType=docker or drop the flag`,
    );
  }
}

function readNetwork(flags: RawFlags): NetworkMode {
  const network = readString(flags, 'network') ?? 'host';
  const mode = NETWORK_MODES.find((candidate) => candidate === network);
  if (mode === undefined) {
    throw new UsageError(`invalid value "${network}" for -network: use host, bridge, none or user`);
  }

  return mode;
}

function readContentType(flags: RawFlags): 'protobuf' | 'json' {
  const contentType = readString(flags, 'contentType') ?? 'protobuf';
  if (contentType !== 'protobuf' && contentType !== 'json') {
    throw new UsageError(`invalid value "${contentType}" for -contentType: use protobuf or json`);
  }

  return contentType;
}

function readCredentials(
  flags: RawFlags,
  environment: NodeJS.ProcessEnv,
): { principal: string; secret: string } | undefined {
  const principal = readString(flags, 'principal') ?? nonEmpty(environment.MESOS_PRINCIPAL);
  const secret = readString(flags, 'secret') ?? nonEmpty(environment.MESOS_SECRET);

  if (principal === undefined && secret === undefined) {
    return undefined;
  }
  if (principal === undefined) {
    throw new UsageError(
      'a secret was given without -principal: set -principal (or MESOS_PRINCIPAL) too',
    );
  }
  if (secret === undefined) {
    throw new UsageError(
      '-principal was given without a secret: set MESOS_SECRET (or -secret) too',
    );
  }

  return { principal, secret };
}
