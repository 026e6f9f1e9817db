import { EXIT_CODES } from './errors.js';
import { FLAG_SPECS, type FlagGroup, type FlagSpec } from './flag-specs.js';

const GROUP_TITLES: Record<FlagGroup, string> = {
  task: 'Task',
  direct: 'Direct mode (-master): one framework of its own, no Redis',
  api: 'API mode (--api): submit to a running mesos-launch service and poll it',
  compatibility: 'Accepted for command lines written for the Go example scheduler',
};

const WRAP_COLUMN = 96;
const HELP_INDENT = '      ';

/** Builds the `--help` text: usage, every flag with its default and unit, and the exit codes. */
export function helpText(): string {
  const sections = (Object.keys(GROUP_TITLES) as FlagGroup[]).map((group) => {
    const lines = FLAG_SPECS.filter((spec) => spec.group === group).flatMap(describeFlag);
    return [`${GROUP_TITLES[group]}:`, ...lines].join('\n');
  });

  return [
    'Usage: mesos-launch -image IMAGE (-master HOST:PORT | --api URL) [flags]',
    '',
    'Launches one Docker task on Apache Mesos and waits until it is TASK_RUNNING, logging each',
    'status update as one JSON line on stdout. The task keeps running after the command exits.',
    'Every flag takes one or two dashes and a value after a space or "=": -image x, --image=x.',
    'Booleans stand alone (-enableContainer) or take =true/=false.',
    '',
    ...sections.flatMap((section) => [section, '']),
    'Exit codes:',
    `  ${EXIT_CODES.success}    the task reached TASK_RUNNING or TASK_FINISHED`,
    `  ${EXIT_CODES.launchFailed}    it ended in another state (TASK_FAILED, TASK_ERROR, CANCELLED, EXPIRED, ...) or was rejected`,
    `  ${EXIT_CODES.usage}    a flag is unknown, missing or invalid`,
    `  ${EXIT_CODES.timeout}    -timeout passed first`,
    `  ${EXIT_CODES.unreachable}    the master or the service could not be reached or returned an error`,
    `  ${EXIT_CODES.interrupted}  Ctrl-C; a launched task that is not yet running is killed first`,
    `  ${EXIT_CODES.terminated}  SIGTERM; the same as Ctrl-C`,
    '',
    'Example (bridge networking, container port 8888 mapped to an offered host port):',
    '  mesos-launch -master 127.0.0.1:5050 -image centos:6.6 -network=bridge -expose 8888 \\',
    '    -cmd "ifconfig && sleep 3000"',
    '',
  ].join('\n');
}

function describeFlag(spec: FlagSpec): string[] {
  const dashes = spec.group === 'api' ? '--' : '-';
  const value = spec.kind === 'boolean' ? '' : ` ${spec.valueName ?? 'VALUE'}`;
  const usage = `${dashes}${spec.name}${value}`;
  const text =
    spec.defaultText === undefined ? spec.help : `${spec.help} (default: ${spec.defaultText})`;

  return [
    `  ${usage}`,
    ...wrap(text, WRAP_COLUMN - HELP_INDENT.length).map((line) => HELP_INDENT + line),
  ];
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';

  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }

  if (line !== '') {
    lines.push(line);
  }

  return lines;
}
