import type { CheckInfo, CommandInfo, ContainerInfo, HealthCheck, Volume } from '../mesos-types.js';

/** Mesos limits ids to NAME_MAX (255) bytes (`src/common/validation.cpp`). */
const MAX_ID_BYTES = 255;

// Control characters as C's iscntrl classifies bytes, plus both path separators.
// eslint-disable-next-line no-control-regex
const INVALID_ID_CHARACTERS = /[\x00-\x1f\x7f/\\]/;

/** Validates a task, executor or framework id; returns the Mesos error message or undefined. */
export function validateId(id: string): string | undefined {
  if (id.length === 0) {
    return 'ID must not be empty';
  }
  if (Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES) {
    return `ID must not be greater than ${MAX_ID_BYTES} characters`;
  }
  if (id === '.' || id === '..') {
    return `'${id}' is disallowed`;
  }
  if (INVALID_ID_CHARACTERS.test(id)) {
    return `'${id}' contains invalid characters`;
  }
  return undefined;
}

/** Checks environment variables: VALUE needs a value, SECRET a secret, UNKNOWN is rejected. */
export function validateCommandInfo(command: CommandInfo): string | undefined {
  for (const variable of command.environment?.variables ?? []) {
    const type = variable.type ?? 'VALUE';
    if (type === 'UNKNOWN') {
      return "Environment variable of type 'UNKNOWN' is not allowed";
    }
    if (type === 'SECRET') {
      if (variable.secret === undefined) {
        return `Environment variable '${variable.name}' of type 'SECRET' must have a secret set`;
      }
      if (variable.value !== undefined) {
        return `Environment variable '${variable.name}' of type 'SECRET' must not have a value set`;
      }
      continue;
    }
    if (variable.value === undefined) {
      return `Environment variable '${variable.name}' of type 'VALUE' must have a value set`;
    }
    if (variable.secret !== undefined) {
      return `Environment variable '${variable.name}' of type 'VALUE' must not have a secret set`;
    }
  }
  return undefined;
}

/** Runs the master's ContainerInfo checks: volumes well formed, DOCKER has `docker`, no `name` parameter. */
export function validateContainerInfo(container: ContainerInfo): string | undefined {
  for (const volume of container.volumes ?? []) {
    const error = validateVolume(volume);
    if (error !== undefined) {
      return `Invalid volume: ${error}`;
    }
  }

  if (container.type === 'DOCKER') {
    if (container.docker === undefined) {
      return "DockerInfo 'docker' is not set for DOCKER typed ContainerInfo";
    }
    if ((container.docker.parameters ?? []).some((parameter) => parameter.key === 'name')) {
      return "Parameter in DockerInfo must not be 'name'";
    }
  }
  return undefined;
}

const VOLUME_SOURCE_FIELDS: Record<string, [string, string]> = {
  DOCKER_VOLUME: ['docker_volume', "'source.docker_volume' is not set for DOCKER_VOLUME volume"],
  HOST_PATH: ['host_path', "'source.host_path' is not set for HOST_PATH volume"],
  SANDBOX_PATH: ['sandbox_path', "'source.sandbox_path' is not set for SANDBOX_PATH volume"],
  SECRET: ['secret', "'source.secret' is not set for SECRET volume"],
  CSI_VOLUME: ['csi_volume', "'source.csi_volume' is not set for CSI volume"],
};

function validateVolume(volume: Volume): string | undefined {
  const count = [volume.host_path, volume.image, volume.source].filter(
    (field) => field !== undefined,
  ).length;
  if (count !== 1) {
    return "Only one of them should be set: 'host_path', 'image' and 'source'";
  }
  if (volume.source === undefined) {
    return undefined;
  }

  const rule = VOLUME_SOURCE_FIELDS[volume.source.type ?? 'UNKNOWN'];
  if (rule === undefined) {
    return "'source.type' is unknown";
  }
  const [field, message] = rule;
  if ((volume.source as Record<string, unknown>)[field] === undefined) {
    return message;
  }
  return undefined;
}

export function validateHealthCheck(check: HealthCheck): string | undefined {
  switch (check.type) {
    case undefined:
      return "HealthCheck must specify 'type'";
    case 'COMMAND':
      if (check.command === undefined) {
        return "Expecting 'command' to be set for COMMAND health check";
      }
      return validateCheckCommand(check.command, 'Command health check', "Health check's");
    case 'HTTP':
      if (check.http === undefined) {
        return "Expecting 'http' to be set for HTTP health check";
      }
      if (check.http.scheme !== undefined && !['http', 'https'].includes(check.http.scheme)) {
        return `Unsupported HTTP health check scheme: '${check.http.scheme}'`;
      }
      if (check.http.path !== undefined && !check.http.path.startsWith('/')) {
        return `The path '${check.http.path}' of HTTP health check must start with '/'`;
      }
      break;
    case 'TCP':
      if (check.tcp === undefined) {
        return "Expecting 'tcp' to be set for TCP health check";
      }
      break;
    default:
      return `'${check.type}' is not a valid health check type`;
  }
  return validateNonNegative(check, [
    'delay_seconds',
    'grace_period_seconds',
    'interval_seconds',
    'timeout_seconds',
  ]);
}

export function validateCheckInfo(check: CheckInfo): string | undefined {
  switch (check.type) {
    case undefined:
      return "CheckInfo must specify 'type'";
    case 'COMMAND':
      if (check.command === undefined) {
        return "Expecting 'command' to be set for COMMAND check";
      }
      return validateCheckCommand(check.command.command, 'Command check', "Check's");
    case 'HTTP':
      if (check.http === undefined) {
        return "Expecting 'http' to be set for HTTP check";
      }
      if (check.http.path !== undefined && !check.http.path.startsWith('/')) {
        return `The path '${check.http.path}' of HTTP check must start with '/'`;
      }
      break;
    case 'TCP':
      if (check.tcp === undefined) {
        return "Expecting 'tcp' to be set for TCP check";
      }
      break;
    default:
      return `'${check.type}' is not a valid check type`;
  }
  return validateNonNegative(check, ['delay_seconds', 'interval_seconds', 'timeout_seconds']);
}

function validateCheckCommand(
  command: CommandInfo,
  subject: string,
  owner: string,
): string | undefined {
  if (command.value === undefined) {
    const kind = command.shell === false ? "'executable path'" : "'shell command'";
    return `${subject} must contain ${kind}`;
  }
  const error = validateCommandInfo(command);
  return error === undefined ? undefined : `${owner} \`CommandInfo\` is invalid: ${error}`;
}

function validateNonNegative<T extends object>(
  value: T,
  fields: Array<keyof T & string>,
): string | undefined {
  for (const field of fields) {
    const number = value[field];
    if (typeof number === 'number' && number < 0) {
      return `Expecting '${field}' to be non-negative`;
    }
  }
  return undefined;
}
