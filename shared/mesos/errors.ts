import { MesosLaunchError } from '../errors.js';

/** A Mesos message that cannot be encoded: a missing required field, an unknown enum name, a wrong type. */
export class MesosEncodeError extends MesosLaunchError {
  /** Dotted paths of the offending fields, e.g. `subscribe.framework_info.user`. */
  readonly problems: string[];

  constructor(typeName: string, problems: string[]) {
    super('MESOS_ENCODE_INVALID', `Invalid ${typeName}: ${problems.join('; ')}`);
    this.name = 'MesosEncodeError';
    this.problems = problems;
  }
}

/** A body that is not a valid Mesos message of the expected type; the message fits a 400 body. */
export class MesosDecodeError extends MesosLaunchError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('MESOS_DECODE_INVALID', message, options);
    this.name = 'MesosDecodeError';
  }
}

/** A RecordIO stream whose length header is not a decimal byte count followed by a newline. */
export class RecordIoError extends MesosLaunchError {
  constructor(message: string) {
    super('RECORDIO_MALFORMED', message);
    this.name = 'RecordIoError';
  }
}
