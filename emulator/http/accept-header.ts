import type { MesosContentType } from '../../shared/mesos/index.js';

/**
 * Tells whether an `Accept` header admits `mediaType`, as libprocess's `_acceptsMediaType`
 * does. No header admits everything. Candidates are tried as `type/subtype`, then `type/*`,
 * then `*\/*`, and the first entry matching a candidate decides, so `q=0` there excludes it.
 * q-values do not rank types.
 */
export function acceptsMediaType(header: string | undefined, mediaType: string): boolean {
  if (header === undefined) {
    return true;
  }

  const [type] = mediaType.split('/');
  const entries = header
    .replace(/[ \t\n]/g, '')
    .split(',')
    .filter((entry) => entry.length > 0);
  const candidates = [mediaType, `${type}/*`, '*/*'];

  for (const candidate of candidates) {
    for (const entry of entries) {
      const [name = '', ...parameters] = entry.split(';').filter((part) => part.length > 0);
      if (name.toLowerCase() !== candidate.toLowerCase()) {
        continue;
      }
      return qualityAllows(parameters);
    }
  }
  return false;
}

function qualityAllows(parameters: readonly string[]): boolean {
  const qValues = parameters
    .map((parameter) => parameter.split('=').filter((token) => token.length > 0))
    .filter((pair) => pair.length === 2 && pair[0] === 'q')
    .map((pair) => pair[1]!);

  if (qValues.length !== 1) {
    return true;
  }
  const quality = Number(qValues[0]);
  return !Number.isNaN(quality) && quality > 0;
}

/** SUBSCRIBE's stream type: JSON is tried first, then protobuf; undefined means 406. */
export function negotiateStreamType(header: string | undefined): MesosContentType | undefined {
  if (acceptsMediaType(header, 'application/json')) {
    return 'application/json';
  }
  if (acceptsMediaType(header, 'application/x-protobuf')) {
    return 'application/x-protobuf';
  }
  return undefined;
}
