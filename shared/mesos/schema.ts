import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { MesosLaunchError } from '../errors.js';

/** The entry file; it imports `mesos/v1/mesos.proto`. */
const ENTRY_FILE = 'mesos/v1/scheduler/scheduler.proto';

/**
 * Locations of `proto/` relative to this module: two levels up in the source tree
 * (`shared/mesos/schema.ts`) and three levels up in the build (`dist/shared/mesos/schema.js`).
 */
const PROTO_DIR_CANDIDATES = ['../../proto/', '../../../proto/'];

let cachedRoot: protobuf.Root | undefined;
const typesByName = new Map<string, protobuf.Type>();

/** Returns the absolute path of the `proto/` folder that contains the Mesos definitions. */
export function findProtoDir(): string {
  for (const candidate of PROTO_DIR_CANDIDATES) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}${ENTRY_FILE}`)) {
      return dir;
    }
  }

  throw new MesosLaunchError(
    'MESOS_SCHEMA_MISSING',
    `Mesos proto files not found: looked for ${ENTRY_FILE} in ${PROTO_DIR_CANDIDATES.join(', ')} relative to ${import.meta.url}`,
  );
}

/**
 * Treats every enum as open, so a value this schema does not list (sent by a newer master) is
 * kept as its number. protobufjs 8 applies proto2's closed-enum rule otherwise: it moves such a
 * value to the unknown fields, which makes a required enum field look missing.
 * NOTE: `_features` is protobufjs internal state; recheck this after a protobufjs upgrade.
 */
function openEnums(namespace: protobuf.NamespaceBase): void {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Enum) {
      (nested as unknown as { _features: Record<string, unknown> })._features.enum_type = 'OPEN';
    }

    if (nested instanceof protobuf.Namespace) {
      openEnums(nested);
    }
  }
}

/** Loads and resolves the Mesos definitions once; later calls return the same root. */
export function loadMesosSchema(): protobuf.Root {
  if (cachedRoot) {
    return cachedRoot;
  }

  const protoDir = findProtoDir();
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => `${protoDir}${target}`;
  root.loadSync(ENTRY_FILE, { keepCase: true });
  root.resolveAll();
  openEnums(root);
  cachedRoot = root;
  return root;
}

/** Looks up a message type by its full name, e.g. `mesos.v1.TaskInfo`, once per name. */
export function lookupMessageType(typeName: string): protobuf.Type {
  const cached = typesByName.get(typeName);
  if (cached) {
    return cached;
  }

  const found = loadMesosSchema().lookup(typeName.replace(/^\./, ''));
  if (!(found instanceof protobuf.Type)) {
    throw new MesosLaunchError('MESOS_TYPE_UNKNOWN', `Unknown Mesos message type: ${typeName}`);
  }

  typesByName.set(typeName, found);
  return found;
}
