import { UsageError } from './errors.js';
import { FLAG_SPECS, HELP_FLAG_NAMES, findFlagSpec, type FlagSpec } from './flag-specs.js';

/** Flag values as given: strings, `true`/`false` for booleans, arrays for repeatable flags. */
export type RawFlags = Map<string, string | boolean | string[]>;

/** The outcome of reading argv: either a help request or the flags that were set. */
export type ParsedArguments = { help: true } | { help: false; flags: RawFlags };

const TRUE_WORDS = ['1', 't', 'T', 'true', 'TRUE', 'True'];
const FALSE_WORDS = ['0', 'f', 'F', 'false', 'FALSE', 'False'];

/**
 * Reads flags the way Go's `flag` package does, and also with two dashes: `-name value`,
 * `-name=value`, `--name value`, `--name=value`, and bare `-name` for booleans (`-name=false`
 * to clear one). Names are case-sensitive. Repeatable flags collect every value; other flags keep
 * the last one. Throws `UsageError` on an unknown flag, a missing value or a stray argument.
 */
export function parseArguments(argv: readonly string[]): ParsedArguments {
  const flags: RawFlags = new Map();

  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    const { name, inlineValue } = splitFlag(argument, argv.slice(index + 1));

    if (HELP_FLAG_NAMES.includes(name)) {
      return { help: true };
    }

    const spec = findFlagSpec(name);
    if (!spec) {
      throw new UsageError(describeUnknownFlag(name));
    }

    if (spec.kind === 'boolean') {
      flags.set(name, parseBoolean(spec, inlineValue));
      continue;
    }

    let value = inlineValue;
    if (value === undefined) {
      index += 1;
      value = argv[index];
    }
    if (value === undefined) {
      throw new UsageError(`flag -${name} needs a value: -${name} ${spec.valueName ?? 'VALUE'}`);
    }

    storeValue(flags, spec, value);
  }

  return { help: false, flags };
}

function splitFlag(
  argument: string,
  rest: readonly string[],
): { name: string; inlineValue: string | undefined } {
  if (argument === '--') {
    const extra = rest[0];
    throw new UsageError(
      extra === undefined
        ? 'unexpected "--" at the end of the command line; remove it'
        : `unexpected argument "${extra}" after "--": every value belongs to a flag`,
    );
  }

  if (!argument.startsWith('-') || argument === '-') {
    throw new UsageError(
      `unexpected argument "${argument}": every value belongs to a flag, e.g. -cmd "sleep 600"; ` +
        'quote values that contain spaces',
    );
  }

  const body = argument.startsWith('--') ? argument.slice(2) : argument.slice(1);
  if (body === '' || body.startsWith('-') || body.startsWith('=')) {
    throw new UsageError(`bad flag syntax "${argument}": use -name value or --name=value`);
  }

  const equals = body.indexOf('=');
  if (equals === -1) {
    return { name: body, inlineValue: undefined };
  }

  return { name: body.slice(0, equals), inlineValue: body.slice(equals + 1) };
}

function parseBoolean(spec: FlagSpec, inlineValue: string | undefined): boolean {
  if (inlineValue === undefined || TRUE_WORDS.includes(inlineValue)) {
    return true;
  }

  if (FALSE_WORDS.includes(inlineValue)) {
    return false;
  }

  throw new UsageError(
    `invalid value "${inlineValue}" for -${spec.name}: use -${spec.name} or -${spec.name}=false`,
  );
}

function storeValue(flags: RawFlags, spec: FlagSpec, value: string): void {
  if (spec.kind !== 'list') {
    flags.set(spec.name, value);
    return;
  }

  const previous = flags.get(spec.name);
  const values = Array.isArray(previous) ? previous : [];
  flags.set(spec.name, [...values, value]);
}

function describeUnknownFlag(name: string): string {
  const lowerName = name.toLowerCase();
  const match = FLAG_SPECS.find((spec) => spec.name.toLowerCase() === lowerName);
  const hint = match
    ? `did you mean -${match.name}? Flag names are case-sensitive`
    : 'run mesos-launch --help for the list of flags';

  return `unknown flag -${name}: ${hint}`;
}
