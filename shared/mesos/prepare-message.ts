import type protobuf from 'protobufjs';
import {
  enumTypeOf,
  fits32BitField,
  is32BitIntegerField,
  is64BitField,
  isPlainObject,
  isUnsigned64BitField,
  messageTypeOf,
  normalizeInt64,
} from './field-kinds.js';
import { prepareValidMessage } from './prepare-valid.js';

type PlainMessage = Record<string, unknown>;

/**
 * Checks a message object against its type and converts it to the form protobufjs encodes:
 * enum names become numbers, 64-bit integers become canonical decimal strings (protobufjs's
 * `fromObject` turns those into Longs). Every problem found (a missing
 * required field, an unknown enum name, an unknown key, a value of the wrong type) is appended
 * to `problems` with its dotted path. Nothing is dropped silently. A valid message takes the
 * one-pass conversion of prepare-valid.ts; the walk below runs only to describe problems.
 */
export function prepareMessage(
  type: protobuf.Type,
  value: unknown,
  path: string,
  problems: string[],
): PlainMessage {
  const valid = prepareValidMessage(type, value);
  if (valid !== undefined) {
    return valid;
  }

  const prepared: PlainMessage = {};
  if (!isPlainObject(value)) {
    problems.push(`${path || type.name}: expected an object for ${type.fullName.slice(1)}`);
    return prepared;
  }

  for (const key of Object.keys(value)) {
    if (!type.fields[key] && value[key] !== undefined) {
      problems.push(`${join(path, key)}: unknown field of ${type.fullName.slice(1)}`);
    }
  }

  for (const field of type.fieldsArray) {
    const fieldValue = value[field.name];
    const fieldPath = join(path, field.name);
    if (fieldValue === undefined || fieldValue === null) {
      if (field.required) {
        problems.push(`${fieldPath}: missing required field`);
      }
      continue;
    }

    const converted = prepareField(field, fieldValue, fieldPath, problems);
    if (converted !== undefined) {
      prepared[field.name] = converted;
    }
  }

  return prepared;
}

function prepareField(
  field: protobuf.Field,
  value: unknown,
  path: string,
  problems: string[],
): unknown {
  if (field.map) {
    if (!isPlainObject(value)) {
      problems.push(`${path}: expected an object (map)`);
      return undefined;
    }

    const entries = Object.entries(value).map(([key, entry]) => [
      key,
      prepareSingle(field, entry, `${path}.${key}`, problems),
    ]);
    return Object.fromEntries(entries);
  }

  if (field.repeated) {
    if (!Array.isArray(value)) {
      problems.push(`${path}: expected an array`);
      return undefined;
    }

    return value.map((element, index) =>
      prepareSingle(field, element, `${path}[${index}]`, problems),
    );
  }

  return prepareSingle(field, value, path, problems);
}

function prepareSingle(
  field: protobuf.Field,
  value: unknown,
  path: string,
  problems: string[],
): unknown {
  const messageType = messageTypeOf(field);
  if (messageType) {
    return prepareMessage(messageType, value, path, problems);
  }

  const enumType = enumTypeOf(field);
  if (enumType) {
    return prepareEnum(enumType, value, path, problems);
  }

  return prepareScalar(field, value, path, problems);
}

function prepareEnum(
  enumType: protobuf.Enum,
  value: unknown,
  path: string,
  problems: string[],
): unknown {
  if (typeof value === 'string' && Object.hasOwn(enumType.values, value)) {
    return enumType.values[value];
  }

  const names = Object.keys(enumType.values).join(', ');
  problems.push(
    `${path}: unknown ${enumType.fullName.slice(1)} name ${JSON.stringify(value)} (expected one of ${names})`,
  );
  return undefined;
}

function prepareScalar(
  field: protobuf.Field,
  value: unknown,
  path: string,
  problems: string[],
): unknown {
  if (is64BitField(field)) {
    const unsigned = isUnsigned64BitField(field);
    const normalized = normalizeInt64(value, unsigned);
    if (normalized === undefined) {
      problems.push(
        `${path}: expected a ${field.type} as a decimal string, got ${describe(value)}`,
      );
      return undefined;
    }
    return normalized;
  }

  if (is32BitIntegerField(field)) {
    if (typeof value !== 'number' || !fits32BitField(field, value)) {
      problems.push(`${path}: expected a ${field.type}, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  if (isExpectedScalar(field.type, value)) {
    return value;
  }

  problems.push(`${path}: expected a ${field.type}, got ${describe(value)}`);
  return undefined;
}

function isExpectedScalar(fieldType: string, value: unknown): boolean {
  switch (fieldType) {
    case 'string':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'double':
    case 'float':
      return typeof value === 'number';
    case 'bytes':
      return value instanceof Uint8Array;
    default:
      return false;
  }
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) {
    return 'bytes';
  }

  if (typeof value === 'bigint') {
    return `bigint ${value}`;
  }

  return `${typeof value} ${JSON.stringify(value)}`;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
