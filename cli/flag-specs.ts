/** Value kind of a flag: booleans stand alone, lists may be repeated. */
export type FlagKind = 'string' | 'number' | 'boolean' | 'list';

/** The section of `--help` a flag is listed under. */
export type FlagGroup = 'task' | 'direct' | 'api' | 'compatibility';

/** One command-line flag. `name` is written after one or two dashes, case-sensitive. */
export interface FlagSpec {
  name: string;
  kind: FlagKind;
  group: FlagGroup;
  /** Placeholder for the value in `--help`, e.g. `HOST:PORT`. */
  valueName?: string;
  /** The default as `--help` prints it, with its unit. */
  defaultText?: string;
  help: string;
}

/** Every flag the command line accepts, in the order `--help` lists them. */
export const FLAG_SPECS: readonly FlagSpec[] = [
  {
    name: 'image',
    kind: 'string',
    group: 'task',
    valueName: 'IMAGE',
    defaultText: 'required',
    help: 'Docker image to run, e.g. centos:6.6',
  },
  {
    name: 'cmd',
    kind: 'string',
    group: 'task',
    valueName: 'COMMAND',
    defaultText: "unset: run the image's own entrypoint and CMD",
    help: 'shell command, run with /bin/sh -c inside the container',
  },
  {
    name: 'network',
    kind: 'string',
    group: 'task',
    valueName: 'MODE',
    defaultText: 'host',
    help: 'Docker network mode: host, bridge, none or user',
  },
  {
    name: 'networkName',
    kind: 'string',
    group: 'task',
    valueName: 'NAME',
    defaultText: 'unset',
    help: 'the user-defined Docker network to join; required with -network user, rejected otherwise',
  },
  {
    name: 'expose',
    kind: 'list',
    group: 'task',
    valueName: 'PORT[/tcp|udp]',
    defaultText: 'none; repeatable',
    help:
      'with bridge or user: a container port, mapped to a host port taken from the offer. ' +
      'With host: the host port to reserve (0 = any offered port), given to the task as PORT0, PORT1, ... ' +
      'Rejected with none',
  },
  {
    name: 'cpus',
    kind: 'number',
    group: 'task',
    valueName: 'N',
    defaultText: '0.1 CPUs',
    help: 'CPUs for the task (the Docker executor adds its own 0.1 on the agent)',
  },
  {
    name: 'mem',
    kind: 'number',
    group: 'task',
    valueName: 'MB',
    defaultText: '50 MB',
    help: 'memory for the task, in MB',
  },
  {
    name: 'disk',
    kind: 'number',
    group: 'task',
    valueName: 'MB',
    defaultText: '0 MB (not requested)',
    help: 'disk for the task, in MB',
  },
  {
    name: 'env',
    kind: 'list',
    group: 'task',
    valueName: 'NAME=VALUE',
    defaultText: 'none; repeatable',
    help: 'environment variable for the task',
  },
  {
    name: 'name',
    kind: 'string',
    group: 'task',
    valueName: 'NAME',
    defaultText: 'unset: the task id',
    help: 'human-readable task name',
  },
  {
    name: 'timeout',
    kind: 'number',
    group: 'task',
    valueName: 'SECONDS',
    defaultText: '120 seconds',
    help:
      'how long to wait for a fitting offer and then for TASK_RUNNING; when it passes, ' +
      'the task is killed (or the queued launch cancelled) and the exit code is 3',
  },
  {
    name: 'master',
    kind: 'string',
    group: 'direct',
    valueName: 'HOST:PORT',
    defaultText: 'unset',
    help:
      'Mesos master(s) to launch on directly, host:port or URL, several separated by commas; ' +
      'no Redis or service needed',
  },
  {
    name: 'role',
    kind: 'string',
    group: 'direct',
    valueName: 'ROLE',
    defaultText: '*',
    help: "the framework's role; offers and the task's resources use it",
  },
  {
    name: 'user',
    kind: 'string',
    group: 'direct',
    valueName: 'USER',
    defaultText: 'root',
    help: 'FrameworkInfo.user: the agent user the task runs as',
  },
  {
    name: 'contentType',
    kind: 'string',
    group: 'direct',
    valueName: 'TYPE',
    defaultText: 'protobuf',
    help: 'encoding on the wire to the master: protobuf or json',
  },
  {
    name: 'principal',
    kind: 'string',
    group: 'direct',
    valueName: 'PRINCIPAL',
    defaultText: '$MESOS_PRINCIPAL, else unset',
    help: 'HTTP Basic principal for the master; needs -secret',
  },
  {
    name: 'secret',
    kind: 'string',
    group: 'direct',
    valueName: 'SECRET',
    defaultText: '$MESOS_SECRET, else unset',
    help: 'HTTP Basic secret for the master; prefer the variable, which stays out of ps output',
  },
  {
    name: 'failoverTimeout',
    kind: 'number',
    group: 'direct',
    valueName: 'SECONDS',
    defaultText: '604800 seconds (7 days)',
    help:
      'FrameworkInfo.failover_timeout: how long Mesos keeps the task running after this ' +
      'command exits; when it passes, Mesos removes the framework and kills the task',
  },
  {
    name: 'api',
    kind: 'string',
    group: 'api',
    valueName: 'URL',
    defaultText: 'unset',
    help: 'base URL of a running mesos-launch service, e.g. http://127.0.0.1:8080; submits and polls',
  },
  {
    name: 'token',
    kind: 'string',
    group: 'api',
    valueName: 'TOKEN',
    defaultText: '$MESOS_LAUNCH_TOKEN, else unset',
    help: 'bearer token for the service',
  },
  {
    name: 'host',
    kind: 'string',
    group: 'compatibility',
    valueName: 'ADDRESS',
    defaultText: 'unset',
    help:
      "accepted and ignored: the scheduler's bind address, which the v1 HTTP scheduler API " +
      'does not need because the master never connects back',
  },
  {
    name: 'enableContainer',
    kind: 'boolean',
    group: 'compatibility',
    defaultText: 'false',
    help: 'accepted and ignored: every task runs in a Docker container',
  },
  {
    name: 'containerType',
    kind: 'string',
    group: 'compatibility',
    valueName: 'TYPE',
    defaultText: 'docker',
    help: 'container type; docker is the only valid value',
  },
];

/** Names that print the help text instead of launching. */
export const HELP_FLAG_NAMES: readonly string[] = ['help', 'h'];

/** Looks up a flag by its exact name. */
export function findFlagSpec(name: string): FlagSpec | undefined {
  return FLAG_SPECS.find((spec) => spec.name === name);
}
