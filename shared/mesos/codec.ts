import { MesosDecodeError, MesosEncodeError } from './errors.js';
import { parseJsonText, readJsonMessage, type EnumPolicy } from './json-reader.js';
import { writeJsonMessage } from './json-writer.js';
import { prepareMessage } from './prepare-message.js';
import { readProtobufMessage, writeProtobufMessage } from './protobuf-codec.js';
import { lookupMessageType } from './schema.js';
import type { Call, Event } from './types.js';

/** The two media types the v1 scheduler API accepts, compared by exact string equality. */
export type MesosContentType = 'application/x-protobuf' | 'application/json';

export const CALL_TYPE_NAME = 'mesos.v1.scheduler.Call';
export const EVENT_TYPE_NAME = 'mesos.v1.scheduler.Event';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Encodes a scheduler Call. Throws MesosEncodeError (code MESOS_ENCODE_INVALID) on a missing
 * required field, an unknown enum name, an unknown key or a value of the wrong type, before
 * anything is sent.
 */
export function encodeCall(call: Call, contentType: MesosContentType): Uint8Array {
  return encodeMessage(CALL_TYPE_NAME, call, contentType);
}

/**
 * Decodes a scheduler Call as the Mesos master parses it: unknown keys ignored, an unknown enum
 * name or number drops an optional field and fails a required one. Throws MesosDecodeError
 * (code MESOS_DECODE_INVALID) with a message fit for a 400 body.
 */
export function decodeCall(body: Uint8Array, contentType: MesosContentType): Call {
  return decodeWithPolicy<Call>(CALL_TYPE_NAME, body, contentType, 'mesos');
}

/** Encodes a scheduler Event; JSON output matches the Mesos master's, defaults included. */
export function encodeEvent(event: Event, contentType: MesosContentType): Uint8Array {
  return encodeMessage(EVENT_TYPE_NAME, event, contentType);
}

/**
 * Decodes a scheduler Event. An enum value or event type unknown to this schema (from a newer
 * master) is kept as its number (protobuf) or name (JSON) instead of failing.
 */
export function decodeEvent(body: Uint8Array, contentType: MesosContentType): Event {
  return decodeWithPolicy<Event>(EVENT_TYPE_NAME, body, contentType, 'keep');
}

/** Encodes any Mesos message by its full type name, e.g. `mesos.v1.TaskInfo`. */
export function encodeMessage(
  typeName: string,
  value: object,
  contentType: MesosContentType,
): Uint8Array {
  const type = lookupMessageType(typeName);
  const problems: string[] = [];
  const prepared = prepareMessage(type, value, '', problems);
  if (problems.length > 0) {
    throw new MesosEncodeError(typeName, problems);
  }

  if (contentType === 'application/json') {
    return Buffer.from(writeJsonMessage(type, value as Record<string, unknown>), 'utf8');
  }
  return writeProtobufMessage(type, prepared);
}

/** Decodes any Mesos message by its full type name, keeping unknown enum values. */
export function decodeMessage<T>(
  typeName: string,
  body: Uint8Array,
  contentType: MesosContentType,
): T {
  return decodeWithPolicy<T>(typeName, body, contentType, 'keep');
}

function decodeWithPolicy<T>(
  typeName: string,
  body: Uint8Array,
  contentType: MesosContentType,
  policy: EnumPolicy,
): T {
  const type = lookupMessageType(typeName);
  if (contentType === 'application/json') {
    return readJsonMessage(type, parseJsonText(decodeUtf8(body)), policy) as T;
  }
  return readProtobufMessage(type, body, policy) as T;
}

function decodeUtf8(body: Uint8Array): string {
  try {
    return utf8Decoder.decode(body);
  } catch (error) {
    throw new MesosDecodeError('Body is not valid UTF-8', { cause: error });
  }
}

/** Tells whether `contentType` is one of the two media types the API accepts. */
export function isMesosContentType(
  contentType: string | undefined,
): contentType is MesosContentType {
  return contentType === 'application/x-protobuf' || contentType === 'application/json';
}
