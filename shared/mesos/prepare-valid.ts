import type protobuf from 'protobufjs';
import {
  fieldPlansOf,
  fits32BitField,
  isPlainObject,
  normalizeInt64,
  type FieldPlan,
} from './field-kinds.js';

type PlainMessage = Record<string, unknown>;

/** The fields of one message type, by name, and the required ones. */
interface TypePlan {
  byName: Map<string, FieldPlan>;
  required: FieldPlan[];
}

const typePlans = new WeakMap<protobuf.Type, TypePlan>();

/** Marks a value that failed a check; the caller then runs the full check for its messages. */
const INVALID = Symbol('invalid');

/** A canonical decimal integer of at most 15 digits: in range of every 64-bit type but unsigned. */
const SMALL_CANONICAL_INT64 = /^(?:0|-?[1-9]\d{0,14})$/;

/**
 * Converts a valid message object to the form protobufjs encodes, as `prepareMessage` does, in one
 * pass over the keys the object has. Returns undefined at the first problem of any kind, without
 * describing it: `prepareMessage` then walks the message again to report every problem by path.
 */
export function prepareValidMessage(type: protobuf.Type, value: unknown): PlainMessage | undefined {
  const prepared = convertMessage(type, value);
  return prepared === INVALID ? undefined : prepared;
}

function planOf(type: protobuf.Type): TypePlan {
  let plan = typePlans.get(type);
  if (!plan) {
    const fields = fieldPlansOf(type);
    plan = {
      byName: new Map(fields.map((field) => [field.name, field])),
      required: fields.filter((field) => field.required),
    };
    typePlans.set(type, plan);
  }

  return plan;
}

function convertMessage(type: protobuf.Type, value: unknown): PlainMessage | typeof INVALID {
  if (!isPlainObject(value)) {
    return INVALID;
  }

  const { byName, required } = planOf(type);
  const prepared: PlainMessage = {};
  for (const key in value) {
    const fieldValue = value[key];
    const plan = byName.get(key);
    if (plan === undefined) {
      if (fieldValue !== undefined) {
        return INVALID;
      }
      continue;
    }

    if (fieldValue === undefined || fieldValue === null) {
      continue;
    }

    const converted = convertField(plan, fieldValue);
    if (converted === INVALID) {
      return INVALID;
    }
    prepared[key] = converted;
  }

  for (const plan of required) {
    if (prepared[plan.name] === undefined) {
      return INVALID;
    }
  }

  return prepared;
}

function convertField(plan: FieldPlan, value: unknown): unknown {
  if (plan.map) {
    return isPlainObject(value) ? convertMap(plan, value) : INVALID;
  }

  if (plan.repeated) {
    return Array.isArray(value) ? convertList(plan, value) : INVALID;
  }

  return convertSingle(plan, value);
}

function convertMap(plan: FieldPlan, value: Record<string, unknown>): unknown {
  const converted: Record<string, unknown> = {};
  for (const key in value) {
    const entry = convertSingle(plan, value[key]);
    if (entry === INVALID) {
      return INVALID;
    }
    converted[key] = entry;
  }

  return converted;
}

function convertList(plan: FieldPlan, value: unknown[]): unknown {
  const converted: unknown[] = new Array<unknown>(value.length);
  for (let index = 0; index < value.length; index += 1) {
    const element = convertSingle(plan, value[index]);
    if (element === INVALID) {
      return INVALID;
    }
    converted[index] = element;
  }

  return converted;
}

function convertSingle(plan: FieldPlan, value: unknown): unknown {
  switch (plan.kind) {
    case 'message':
      return convertMessage(plan.messageType as protobuf.Type, value);
    case 'enum':
      return convertEnum(plan.enumType as protobuf.Enum, value);
    case 'int64':
    case 'uint64':
      return convertInt64(value, plan.kind === 'uint64');
    case 'int32':
      return typeof value === 'number' && fits32BitField(plan.field, value) ? value : INVALID;
    case 'double':
      return typeof value === 'number' ? value : INVALID;
    case 'bool':
      return typeof value === 'boolean' ? value : INVALID;
    case 'string':
      return typeof value === 'string' ? value : INVALID;
    case 'bytes':
      return value instanceof Uint8Array ? value : INVALID;
    default:
      return INVALID;
  }
}

function convertEnum(enumType: protobuf.Enum, value: unknown): unknown {
  if (typeof value === 'string' && Object.hasOwn(enumType.values, value)) {
    return enumType.values[value];
  }

  return INVALID;
}

/** Returns the canonical decimal string, as `normalizeInt64` does, without BigInt for small values. */
function convertInt64(value: unknown, unsigned: boolean): unknown {
  if (typeof value === 'string' && SMALL_CANONICAL_INT64.test(value)) {
    return unsigned && value.startsWith('-') ? INVALID : value;
  }

  return normalizeInt64(value, unsigned) ?? INVALID;
}
