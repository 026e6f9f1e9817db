import type protobuf from 'protobufjs';
import { MesosDecodeError } from './errors.js';
import { enumTypeOf, messageTypeOf } from './field-kinds.js';
import type { EnumPolicy } from './json-reader.js';

const TO_OBJECT_OPTIONS: protobuf.IConversionOptions = { enums: String, longs: String };

/** Per message type, the fields `dropUnknownEnumNumbers` must visit. */
const enumBearingFieldsByType = new WeakMap<protobuf.Type, protobuf.Field[]>();

/**
 * Encodes a message already converted by `prepareMessage`. That conversion checked every field
 * (required fields, enum names, scalar types and integer ranges), so the plain object goes to the
 * generated encoder as it is: enums as numbers, 64-bit integers as decimal strings, which the
 * protobufjs writer parses, and bytes as Uint8Array.
 */
export function writeProtobufMessage(
  type: protobuf.Type,
  prepared: Record<string, unknown>,
): Uint8Array {
  return type.encode(prepared).finish();
}

/**
 * Decodes protobuf bytes to a message object: enum names (numbers for values a newer master
 * added), 64-bit integers as decimal strings, bytes as Buffers. With the `mesos` enum policy an
 * unknown enum number is handled as the master's proto2 parser does: dropped from an optional
 * field, an error in a required one.
 */
export function readProtobufMessage(
  type: protobuf.Type,
  body: Uint8Array,
  policy: EnumPolicy,
): Record<string, unknown> {
  let object: Record<string, unknown>;
  try {
    object = type.toObject(type.decode(body), TO_OBJECT_OPTIONS);
  } catch (error) {
    const reason = (error as Error).message;
    throw new MesosDecodeError(`Failed to parse ${type.fullName.slice(1)} protobuf: ${reason}`, {
      cause: error,
    });
  }

  if (policy === 'mesos') {
    dropUnknownEnumNumbers(type, object, '');
  }
  return object;
}

function dropUnknownEnumNumbers(
  type: protobuf.Type,
  object: Record<string, unknown>,
  path: string,
): void {
  for (const field of enumBearingFields(type)) {
    const value = object[field.name];
    if (value === undefined) {
      continue;
    }

    const fieldPath = path ? `${path}.${field.name}` : field.name;
    const messageType = messageTypeOf(field);
    if (messageType) {
      for (const element of elementsOf(field, value)) {
        dropUnknownEnumNumbers(messageType, element as Record<string, unknown>, fieldPath);
      }
    } else if (enumTypeOf(field)) {
      object[field.name] = withoutUnknownNumbers(field, value, fieldPath);
      if (object[field.name] === undefined) {
        delete object[field.name];
      }
    }
  }
}

/** Returns the enum fields of `type` and the message fields whose types lead to an enum field. */
function enumBearingFields(type: protobuf.Type): protobuf.Field[] {
  let fields = enumBearingFieldsByType.get(type);
  if (!fields) {
    fields = type.fieldsArray.filter(
      (field) => enumTypeOf(field) !== undefined || reachesEnum(messageTypeOf(field)),
    );
    enumBearingFieldsByType.set(type, fields);
  }

  return fields;
}

/** Tells whether `start` or a message type nested in it, at any depth, has an enum field. */
function reachesEnum(start: protobuf.Type | undefined): boolean {
  if (!start) {
    return false;
  }

  const seen = new Set([start]);
  const pending = [start];
  for (let type = pending.pop(); type; type = pending.pop()) {
    for (const field of type.fieldsArray) {
      if (enumTypeOf(field)) {
        return true;
      }

      const nested = messageTypeOf(field);
      if (nested && !seen.has(nested)) {
        seen.add(nested);
        pending.push(nested);
      }
    }
  }

  return false;
}

function withoutUnknownNumbers(field: protobuf.Field, value: unknown, path: string): unknown {
  if (field.map) {
    const kept = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => typeof v === 'string',
    );
    return Object.fromEntries(kept);
  }

  if (field.repeated) {
    const kept = (value as unknown[]).filter((element) => typeof element === 'string');
    return kept.length > 0 ? kept : undefined;
  }

  if (typeof value === 'string') {
    return value;
  }

  if (field.required) {
    throw new MesosDecodeError(`Invalid value ${String(value)} for enum field '${path}'`);
  }
  return undefined;
}

function elementsOf(field: protobuf.Field, value: unknown): unknown[] {
  if (field.map) {
    return Object.values(value as Record<string, unknown>);
  }
  return field.repeated ? (value as unknown[]) : [value];
}
