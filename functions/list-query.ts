import type { Context } from 'hono';
import { ProblemError } from '../shared/launch/problem.js';
import type { InvalidField } from '../shared/launch/schema.js';
import { LAUNCH_STATES } from '../shared/launch/types.js';
import type { ListLaunchesInput } from './backend.js';

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;

const KNOWN_PARAMETERS = new Set(['state', 'limit', 'cursor']);
const STATE_PATTERN = /^TASK_[A-Z_]{1,40}$/;
const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * Reads `state` (repeated or comma-separated), `limit` and `cursor` from the query string.
 * Unknown parameters are rejected, so a typo such as `?states=` is not silently ignored.
 * Throws ProblemError VALIDATION_FAILED listing every invalid parameter.
 */
export function parseListQuery(c: Context): ListLaunchesInput {
  const invalid: InvalidField[] = [];
  const query = c.req.queries();

  for (const name of Object.keys(query)) {
    if (!KNOWN_PARAMETERS.has(name)) {
      invalid.push({
        field: name,
        message: 'is not a known query parameter',
        fix: 'remove it, or use state, limit or cursor',
      });
    }
  }

  const states = parseStates(query.state ?? [], invalid);
  const limit = parseLimit(query.limit, invalid);
  const cursor = parseCursor(query.cursor, invalid);

  if (invalid.length > 0) {
    throw new ProblemError('VALIDATION_FAILED', describeInvalid(invalid), {
      extensions: { invalid_fields: invalid },
    });
  }

  return { limit, ...(states.length > 0 ? { states } : {}), ...(cursor ? { cursor } : {}) };
}

function parseStates(values: string[], invalid: InvalidField[]): string[] {
  const states = values.flatMap((value) => value.split(',')).map((state) => state.trim());

  for (const state of states) {
    const known = (LAUNCH_STATES as readonly string[]).includes(state) || STATE_PATTERN.test(state);
    if (!known) {
      invalid.push({
        field: 'state',
        message: `"${state.slice(0, 50)}" is not a launch state`,
        fix: `use ${LAUNCH_STATES.join(', ')} or a Mesos task state such as TASK_RUNNING, comma-separated`,
      });
    }
  }

  return [...new Set(states)];
}

function parseLimit(values: string[] | undefined, invalid: InvalidField[]): number {
  if (values === undefined) {
    return DEFAULT_LIST_LIMIT;
  }

  const limit = Number(values[0]);
  if (
    values.length !== 1 ||
    !/^\d+$/.test(values[0] ?? '') ||
    limit < 1 ||
    limit > MAX_LIST_LIMIT
  ) {
    invalid.push({
      field: 'limit',
      message: `must be one whole number from 1 to ${MAX_LIST_LIMIT}`,
      fix: `give the page size once, e.g. limit=${DEFAULT_LIST_LIMIT}`,
    });
  }

  return limit;
}

function parseCursor(values: string[] | undefined, invalid: InvalidField[]): string | undefined {
  if (values === undefined) {
    return undefined;
  }

  if (values.length !== 1 || !CURSOR_PATTERN.test(values[0] ?? '')) {
    invalid.push({
      field: 'cursor',
      message: 'is not a cursor this service issued',
      fix: 'pass the next_cursor of the previous page unchanged, once',
    });
  }

  return values[0];
}

/** Summarises invalid fields in one sentence for the problem's `detail`. */
export function describeInvalid(invalid: readonly InvalidField[]): string {
  const names = [...new Set(invalid.map((field) => field.field))];
  const shown = names.slice(0, 10).join(', ');
  const more = names.length > 10 ? ` and ${names.length - 10} more` : '';

  return `${invalid.length} invalid field${invalid.length === 1 ? '' : 's'}: ${shown}${more}; see invalid_fields`;
}
