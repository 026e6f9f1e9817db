import type { LaunchRequest } from '../shared/launch/index.js';
import { parseLaunchRequest, type InvalidField } from '../shared/launch/schema.js';
import { UsageError } from './errors.js';
import type { LaunchRequestBody } from './request.js';

/** The flag behind each top-level field of a launch request. */
const FLAG_FOR_FIELD: Record<string, string> = {
  image: '-image',
  command: '-cmd',
  network: '-network',
  network_name: '-networkName',
  ports: '-expose',
  cpus: '-cpus',
  mem: '-mem',
  disk: '-disk',
  env: '-env',
  name: '-name',
  timeout_seconds: '-timeout',
};

/**
 * Validates the request body with the HTTP API's own schema, so flags and API requests follow
 * the same rules, and returns the request with its defaults. Throws a `UsageError` that names the
 * flag behind each invalid field.
 */
export function validateRequestBody(body: LaunchRequestBody): LaunchRequest {
  const result = parseLaunchRequest(body);
  if (result.ok) {
    return result.request;
  }

  const problems = result.invalidFields.map(describeInvalidField);
  throw new UsageError(problems.join('; '));
}

function describeInvalidField(invalid: InvalidField): string {
  const topField = /^[a-z_]+/.exec(invalid.field)?.[0] ?? invalid.field;
  const flag = FLAG_FOR_FIELD[topField] ?? invalid.field;
  const fix = invalid.fix === '' ? '' : ` (${invalid.fix})`;

  return `invalid ${flag}: ${invalid.field} ${invalid.message}${fix}`;
}
