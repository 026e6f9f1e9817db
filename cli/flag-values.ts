import { UsageError } from './errors.js';
import type { ExposedPort } from './options.js';
import type { RawFlags } from './parse-arguments.js';

/** The rule `MESOS_MASTER` follows too: `host:port`, or an http(s) URL with an optional path. */
const MASTER_PATTERN = /^(https?:\/\/)?[^\s/,]+(:\d+)?(\/\S*)?$/;
const EXPOSE_PATTERN = /^(\d{1,5})(?:\/(tcp|udp))?$/i;
const ENV_PATTERN = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** Splits a comma-separated `-master` list; throws `UsageError` on an empty or invalid entry. */
export function parseMasters(value: string): string[] {
  const masters = value
    .split(',')
    .map((master) => master.trim())
    .filter(Boolean);
  const invalid = masters.find((master) => !MASTER_PATTERN.test(master));

  if (masters.length === 0 || invalid !== undefined) {
    throw new UsageError(
      `invalid value "${invalid ?? value}" for -master: use host:port or a URL, several separated by commas, e.g. 10.0.0.1:5050`,
    );
  }

  return masters;
}

/** Reads one `-expose PORT[/tcp|udp]`; the protocol is absent when not written. */
export function parseExpose(value: string): ExposedPort {
  const match = EXPOSE_PATTERN.exec(value.trim());
  const port = Number(match?.[1]);
  if (!match || port > 65_535) {
    throw new UsageError(
      `invalid value "${value}" for -expose: use a port from 0 to 65535, optionally with /tcp or /udp, e.g. -expose 8888`,
    );
  }

  const protocol = match[2]?.toLowerCase();
  return protocol === 'tcp' || protocol === 'udp' ? { port, protocol } : { port };
}

/** Splits one `-env NAME=VALUE` at the first `=`; the value may be empty or contain `=`. */
export function parseEnv(value: string): [string, string] {
  const match = ENV_PATTERN.exec(value);
  if (!match?.[1] || match[2] === undefined) {
    throw new UsageError(
      `invalid value "${value}" for -env: use NAME=VALUE, e.g. -env LOG_LEVEL=debug`,
    );
  }

  return [match[1], match[2]];
}

/** The lower bound of a numeric flag, and the unit its error message names. */
export interface NumberRule {
  min: number;
  /** When true the value must be greater than `min`, not equal to it. */
  exclusive?: boolean;
  unit: string;
}

/** Reads a numeric flag, or returns `fallback` when it is not set. */
export function readNumber(
  flags: RawFlags,
  name: string,
  fallback: number,
  rule: NumberRule,
): number {
  const text = readString(flags, name);
  if (text === undefined) {
    return fallback;
  }

  const value = Number(text);
  const tooSmall = rule.exclusive ? value <= rule.min : value < rule.min;
  if (text.trim() === '' || !Number.isFinite(value) || tooSmall) {
    const bound = rule.exclusive ? `greater than ${rule.min}` : `${rule.min} or more`;
    throw new UsageError(
      `invalid value "${text}" for -${name}: use a number ${bound}, in ${rule.unit}`,
    );
  }

  return value;
}

export function readString(flags: RawFlags, name: string): string | undefined {
  const value = flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function readList(flags: RawFlags, name: string): string[] {
  const value = flags.get(name);
  return Array.isArray(value) ? value : [];
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
