import protobuf from 'protobufjs';

const INT64_TYPES = new Set(['int64', 'sint64', 'sfixed64']);
const UINT64_TYPES = new Set(['uint64', 'fixed64']);
const INT32_TYPES = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32_TYPES = new Set(['uint32', 'fixed32']);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export function is64BitField(field: protobuf.Field): boolean {
  return INT64_TYPES.has(field.type) || UINT64_TYPES.has(field.type);
}

export function isUnsigned64BitField(field: protobuf.Field): boolean {
  return UINT64_TYPES.has(field.type);
}

export function is32BitIntegerField(field: protobuf.Field): boolean {
  return INT32_TYPES.has(field.type) || UINT32_TYPES.has(field.type);
}

/** Tells whether `value` fits the 32-bit integer type of `field`. */
export function fits32BitField(field: protobuf.Field, value: number): boolean {
  if (!Number.isInteger(value)) {
    return false;
  }

  if (UINT32_TYPES.has(field.type)) {
    return value >= 0 && value <= 0xffffffff;
  }

  return value >= -0x80000000 && value <= 0x7fffffff;
}

/**
 * Normalizes a 64-bit integer given as a decimal string, a safe integer number or a bigint to a
 * canonical decimal string. Returns undefined when the value is not an integer or is out of the
 * range of the field's type.
 */
export function normalizeInt64(value: unknown, unsigned: boolean): string | undefined {
  let parsed: bigint;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    parsed = BigInt(value);
  } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
    parsed = BigInt(value);
  } else if (typeof value === 'bigint') {
    parsed = value;
  } else {
    return undefined;
  }

  const min = unsigned ? 0n : INT64_MIN;
  const max = unsigned ? UINT64_MAX : INT64_MAX;
  return parsed >= min && parsed <= max ? parsed.toString() : undefined;
}

/**
 * Tells whether Mesos's JSON output includes `field` when it is unset: stout writes singular
 * fields that declare a default unless they are deprecated (e.g. `shell: true`,
 * `protocol: "IPv4"`, `network: "HOST"`, but not `Resource.role`).
 */
export function emitsDeclaredDefault(field: protobuf.Field): boolean {
  const options = field.options ?? {};
  return (
    !field.repeated && !field.map && options.default !== undefined && options.deprecated !== true
  );
}

export function messageTypeOf(field: protobuf.Field): protobuf.Type | undefined {
  return field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
}

export function enumTypeOf(field: protobuf.Field): protobuf.Enum | undefined {
  return field.resolvedType instanceof protobuf.Enum ? field.resolvedType : undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

/** The kind of value a field carries, derived once per field from its proto type. */
export type FieldKind =
  'message' | 'enum' | 'int64' | 'uint64' | 'int32' | 'double' | 'bool' | 'string' | 'bytes';

export interface FieldPlan {
  field: protobuf.Field;
  name: string;
  kind: FieldKind;
  repeated: boolean;
  map: boolean;
  required: boolean;
  messageType: protobuf.Type | undefined;
  enumType: protobuf.Enum | undefined;
}

const plans = new WeakMap<protobuf.Type, FieldPlan[]>();

/** Returns the fields of `type` with their kinds, computed on first use and cached. */
export function fieldPlansOf(type: protobuf.Type): FieldPlan[] {
  let cached = plans.get(type);
  if (!cached) {
    cached = type.fieldsArray.map(planField);
    plans.set(type, cached);
  }
  return cached;
}

function planField(field: protobuf.Field): FieldPlan {
  const messageType = messageTypeOf(field);
  const enumType = enumTypeOf(field);
  return {
    field,
    name: field.name,
    kind: kindOf(field, messageType, enumType),
    repeated: field.repeated,
    map: field.map,
    required: field.required,
    messageType,
    enumType,
  };
}

function kindOf(
  field: protobuf.Field,
  messageType: protobuf.Type | undefined,
  enumType: protobuf.Enum | undefined,
): FieldKind {
  if (messageType) {
    return 'message';
  }
  if (enumType) {
    return 'enum';
  }
  if (is64BitField(field)) {
    return isUnsigned64BitField(field) ? 'uint64' : 'int64';
  }
  if (is32BitIntegerField(field)) {
    return 'int32';
  }
  if (field.type === 'float') {
    return 'double';
  }
  return field.type as FieldKind;
}
