import { parse } from 'lossless-json';
import type protobuf from 'protobufjs';
import { MesosDecodeError } from './errors.js';
import {
  fieldPlansOf,
  fits32BitField,
  isPlainObject,
  normalizeInt64,
  type FieldPlan,
} from './field-kinds.js';

/**
 * How unknown enum values are handled. `mesos` follows the Mesos master's parser (a JSON number
 * for an enum is an error, an unknown name drops an optional field and fails a required one) and
 * is used for calls. `keep` keeps unknown names and numbers as they are, so an event from a newer
 * master never fails on them.
 */
export type EnumPolicy = 'mesos' | 'keep';

/** A JSON number with its source text, so 64-bit integers keep every digit. */
class JsonNumber {
  constructor(readonly text: string) {}
}

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses JSON text without losing the digits of any number. */
export function parseJsonText(text: string): unknown {
  try {
    return parse(text, null, (digits) => new JsonNumber(digits));
  } catch (error) {
    throw new MesosDecodeError(`Malformed JSON: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Converts parsed JSON in Mesos's mapping to a message object: proto field names, `null` as
 * unset, unknown keys ignored, a single value accepted for a repeated field, numeric strings
 * accepted for numbers, `"true"`/`"false"` for bools, base64 for bytes, exact decimal strings for
 * 64-bit integers. Throws MesosDecodeError naming the field that is wrong.
 */
export function readJsonMessage(
  type: protobuf.Type,
  node: unknown,
  policy: EnumPolicy,
  path = '',
): Record<string, unknown> {
  if (!isPlainObject(node)) {
    const where = path ? `field '${path}'` : type.fullName.slice(1);
    throw new MesosDecodeError(`Expecting a JSON object for ${where}`);
  }

  const message: Record<string, unknown> = {};
  let missing: string[] | undefined;
  for (const plan of fieldPlansOf(type)) {
    const fieldNode = node[plan.name];
    const value =
      fieldNode === undefined || fieldNode === null
        ? undefined
        : readField(plan, fieldNode, policy, joinPath(path, plan.name));
    if (value !== undefined) {
      message[plan.name] = value;
    } else if (plan.required) {
      (missing ??= []).push(joinPath(path, plan.name));
    }
  }

  if (missing) {
    throw new MesosDecodeError(`Missing required fields: ${missing.join(', ')}`);
  }
  return message;
}

function readField(plan: FieldPlan, node: unknown, policy: EnumPolicy, path: string): unknown {
  if (plan.map) {
    if (!isPlainObject(node)) {
      throw new MesosDecodeError(`Expecting a JSON object for map field '${path}'`);
    }
    const entries: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(node)) {
      const value = readSingle(plan, entry, policy, `${path}.${key}`);
      if (value !== undefined) {
        entries[key] = value;
      }
    }
    return entries;
  }

  if (plan.repeated) {
    return readRepeated(plan, node, policy, path);
  }

  if (Array.isArray(node)) {
    throw new MesosDecodeError(`Not expecting a JSON array for field '${path}'`);
  }
  return readSingle(plan, node, policy, path);
}

function readRepeated(plan: FieldPlan, node: unknown, policy: EnumPolicy, path: string): unknown {
  const elements = Array.isArray(node) ? node : [node];
  const values: unknown[] = [];
  for (let index = 0; index < elements.length; index += 1) {
    const value = readSingle(plan, elements[index], policy, `${path}[${index}]`);
    if (value !== undefined) {
      values.push(value);
    }
  }
  return values.length > 0 ? values : undefined;
}

function readSingle(plan: FieldPlan, node: unknown, policy: EnumPolicy, path: string): unknown {
  switch (plan.kind) {
    case 'message':
      return readJsonMessage(plan.messageType as protobuf.Type, node, policy, path);
    case 'enum':
      return readEnum(plan, node, policy, path);
    case 'string':
      if (typeof node !== 'string') {
        throw invalidValue(plan, node, path);
      }
      return node;
    case 'int64':
    case 'uint64':
      return readInt64(plan, node, path);
    case 'int32':
      return readInt32(plan, node, path);
    case 'double':
      return readDouble(plan, node, path);
    case 'bool':
      return readBool(plan, node, path);
    case 'bytes':
      return readBytes(plan, node, path);
  }
}

function readEnum(plan: FieldPlan, node: unknown, policy: EnumPolicy, path: string): unknown {
  const enumType = plan.enumType as protobuf.Enum;
  if (typeof node === 'string' && Object.hasOwn(enumType.values, node)) {
    return node;
  }

  if (policy === 'keep') {
    return node instanceof JsonNumber ? readKeptEnumNumber(enumType, node, path) : String(node);
  }

  if (node instanceof JsonNumber) {
    throw new MesosDecodeError(`Not expecting a JSON number for enum field '${path}'`);
  }
  if (plan.required) {
    throw new MesosDecodeError(`Invalid value ${JSON.stringify(node)} for enum field '${path}'`);
  }
  return undefined;
}

function readKeptEnumNumber(
  enumType: protobuf.Enum,
  node: JsonNumber,
  path: string,
): string | number {
  const number = Number(node.text);
  if (!Number.isInteger(number)) {
    throw new MesosDecodeError(`Invalid number ${node.text} for enum field '${path}'`);
  }
  return enumType.valuesById[number] ?? number;
}

function readInt64(plan: FieldPlan, node: unknown, path: string): string {
  const text = node instanceof JsonNumber ? node.text : node;
  const unsigned = plan.kind === 'uint64';
  const exact = normalizeInt64(text, unsigned);
  if (exact !== undefined) {
    return exact;
  }

  // Integral values written with a fraction or exponent, e.g. `31000.0` or `3.1e4`.
  const number = typeof text === 'string' ? Number(text) : Number.NaN;
  const fromNumber = normalizeInt64(number, unsigned);
  if (fromNumber === undefined) {
    throw invalidValue(plan, node, path);
  }
  return fromNumber;
}

function readInt32(plan: FieldPlan, node: unknown, path: string): number {
  const number = readNumber(node);
  if (number === undefined || !fits32BitField(plan.field, number)) {
    throw invalidValue(plan, node, path);
  }
  return number;
}

function readNumber(node: unknown): number | undefined {
  const text = node instanceof JsonNumber ? node.text : node;
  if (typeof text !== 'string' || text.trim() === '') {
    return undefined;
  }
  const number = Number(text);
  return Number.isNaN(number) ? undefined : number;
}

function readDouble(plan: FieldPlan, node: unknown, path: string): number {
  if (node === 'NaN' || node === 'nan') {
    return Number.NaN;
  }
  const number = readNumber(node);
  if (number === undefined) {
    throw invalidValue(plan, node, path);
  }
  return number;
}

function readBool(plan: FieldPlan, node: unknown, path: string): boolean {
  if (typeof node === 'boolean') {
    return node;
  }
  if (node === 'true' || node === 'false') {
    return node === 'true';
  }
  throw invalidValue(plan, node, path);
}

function readBytes(plan: FieldPlan, node: unknown, path: string): Uint8Array {
  if (typeof node !== 'string') {
    throw invalidValue(plan, node, path);
  }
  const compact = node.replace(/\s+/g, '');
  if (!BASE64_PATTERN.test(compact)) {
    throw new MesosDecodeError(`Invalid base64 in bytes field '${path}'`);
  }
  return Buffer.from(compact, 'base64');
}

function invalidValue(plan: FieldPlan, node: unknown, path: string): MesosDecodeError {
  const shown = node instanceof JsonNumber ? node.text : JSON.stringify(node);
  return new MesosDecodeError(`Invalid ${plan.field.type} value ${shown} for field '${path}'`);
}

function joinPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
