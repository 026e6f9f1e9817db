import type protobuf from 'protobufjs';
import {
  emitsDeclaredDefault,
  enumTypeOf,
  is64BitField,
  isUnsigned64BitField,
  messageTypeOf,
  normalizeInt64,
} from './field-kinds.js';

/**
 * Writes a message object as JSON text in Mesos's own mapping (stout's jsonify): proto field
 * names as keys in declaration order, enum names, standard padded base64 for bytes, and 64-bit
 * integers as bare JSON numbers whose digits are copied from the decimal string, so no precision
 * is lost. Unset fields that declare a non-deprecated default are written with that default, as
 * Mesos does. The object must already have passed `prepareMessage`.
 */
export function writeJsonMessage(type: protobuf.Type, value: Record<string, unknown>): string {
  const members: string[] = [];
  for (const field of type.fieldsArray) {
    const fieldValue = value[field.name];
    if (fieldValue === undefined || fieldValue === null) {
      if (emitsDeclaredDefault(field)) {
        members.push(`${JSON.stringify(field.name)}:${JSON.stringify(field.options?.default)}`);
      }
      continue;
    }

    const written = writeField(field, fieldValue);
    if (written !== undefined) {
      members.push(`${JSON.stringify(field.name)}:${written}`);
    }
  }

  return `{${members.join(',')}}`;
}

function writeField(field: protobuf.Field, value: unknown): string | undefined {
  if (field.map) {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, entry]) => `${JSON.stringify(key)}:${writeSingle(field, entry)}`,
    );
    return `{${entries.join(',')}}`;
  }

  if (field.repeated) {
    const elements = value as unknown[];
    if (elements.length === 0) {
      return undefined;
    }
    return `[${elements.map((element) => writeSingle(field, element)).join(',')}]`;
  }

  return writeSingle(field, value);
}

function writeSingle(field: protobuf.Field, value: unknown): string {
  const messageType = messageTypeOf(field);
  if (messageType) {
    return writeJsonMessage(messageType, value as Record<string, unknown>);
  }

  if (enumTypeOf(field)) {
    return JSON.stringify(value);
  }

  if (is64BitField(field)) {
    return normalizeInt64(value, isUnsigned64BitField(field)) ?? '0';
  }

  if (field.type === 'bytes') {
    const bytes = value as Uint8Array;
    return `"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"`;
  }

  if ((field.type === 'double' || field.type === 'float') && !Number.isFinite(value as number)) {
    // JSON has no literal for these; stout reads the strings back.
    return JSON.stringify(String(value));
  }

  return JSON.stringify(value);
}
