/**
 * Docker image reference syntax: `[registry[:port]/]path[:tag][@digest]`, for example
 * `ugistry.ucloud.cn/library/centos:6.6`, `localhost:5000/app@sha256:<64 hex digits>` or `centos`.
 * The rules follow the reference grammar of the Docker distribution project
 * (github.com/distribution/reference, `reference.go`).
 */

/** The parts of a valid image reference. */
export interface ImageReference {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export type ImageReferenceResult =
  { ok: true; reference: ImageReference } | { ok: false; reason: string };

/** Maximum length of the name (registry and repository, without tag and digest). */
export const MAX_IMAGE_NAME_LENGTH = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_NAME =
  /^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*$/;
const IPV6_HOST = /^\[[0-9A-Fa-f:.]+\]$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGESTS = new Map<string, RegExp>([
  ['sha256', /^[a-f0-9]{64}$/],
  ['sha512', /^[a-f0-9]{128}$/],
]);

/** Splits and checks an image reference. On failure, `reason` describes what is wrong with it. */
export function parseImageReference(text: string): ImageReferenceResult {
  if (text.length === 0) {
    return { ok: false, reason: 'is empty' };
  }

  if (/\s/.test(text)) {
    return { ok: false, reason: 'contains whitespace' };
  }

  const [nameAndTag = '', digest, ...extra] = text.split('@');
  if (extra.length > 0) {
    return { ok: false, reason: 'contains more than one "@"' };
  }

  const digestProblem = digest === undefined ? undefined : checkDigest(digest);
  if (digestProblem) {
    return { ok: false, reason: digestProblem };
  }

  return parseNameAndTag(nameAndTag, digest);
}

function parseNameAndTag(nameAndTag: string, digest: string | undefined): ImageReferenceResult {
  const tagSeparator = nameAndTag.lastIndexOf(':');
  const hasTag = tagSeparator > nameAndTag.lastIndexOf('/');
  const name = hasTag ? nameAndTag.slice(0, tagSeparator) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(tagSeparator + 1) : undefined;

  if (tag !== undefined && !TAG.test(tag)) {
    return {
      ok: false,
      reason: `has an invalid tag "${truncate(tag)}": a tag is 1 to 128 letters, digits, "_", "." or "-" and starts with a letter, digit or "_"`,
    };
  }

  const split = splitRegistry(name);
  const problem = checkName(name, split.registry, split.path);
  if (problem) {
    return { ok: false, reason: problem };
  }

  const reference: ImageReference = { repository: split.path };
  if (split.registry !== undefined) {
    reference.registry = split.registry;
  }
  if (tag !== undefined) {
    reference.tag = tag;
  }
  if (digest !== undefined) {
    reference.digest = digest;
  }

  return { ok: true, reference };
}

/**
 * Separates the registry from the repository path. Like Docker, the first component is a
 * registry only when more components follow and it contains "." or ":", is `localhost`, or has
 * an upper-case letter (which a path component cannot have).
 */
function splitRegistry(name: string): { registry?: string; path: string } {
  const slash = name.indexOf('/');
  if (slash === -1) {
    return { path: name };
  }

  const first = name.slice(0, slash);
  const isRegistry = /[.:]/.test(first) || first === 'localhost' || /[A-Z]/.test(first);

  return isRegistry ? { registry: first, path: name.slice(slash + 1) } : { path: name };
}

function checkName(name: string, registry: string | undefined, path: string): string | undefined {
  if (name.length === 0) {
    return 'has no repository name';
  }

  if (name.length > MAX_IMAGE_NAME_LENGTH) {
    return `has a name of ${name.length} characters, more than the ${MAX_IMAGE_NAME_LENGTH} allowed`;
  }

  if (registry !== undefined) {
    const registryProblem = checkRegistry(registry);
    if (registryProblem) {
      return registryProblem;
    }
  }

  return checkPath(path);
}

function checkRegistry(registry: string): string | undefined {
  const portMatch = /^(.*?)(?::(\d+))?$/.exec(registry);
  const host = portMatch?.[1] ?? registry;
  const port = portMatch?.[2];

  if (!DOMAIN_NAME.test(host) && !IPV6_HOST.test(host)) {
    return `has an invalid registry host "${truncate(registry)}": use a host name or IP address with an optional :port`;
  }

  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) {
    return `has an invalid registry port ${port}: use a port from 1 to 65535`;
  }

  return undefined;
}

function checkPath(path: string): string | undefined {
  for (const component of path.split('/')) {
    if (component.length === 0) {
      return 'has an empty path component (two "/" in a row, or a trailing "/")';
    }

    if (/[A-Z]/.test(component)) {
      return `has upper-case letters in "${truncate(component)}": repository names must be lower case`;
    }

    if (!PATH_COMPONENT.test(component)) {
      return `has an invalid path component "${truncate(component)}": use lower-case letters and digits, separated by ".", "_", "__" or "-"`;
    }
  }

  return undefined;
}

function checkDigest(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  const algorithm = colon === -1 ? '' : digest.slice(0, colon);
  const pattern = DIGESTS.get(algorithm);
  const hex = digest.slice(colon + 1);

  if (!pattern || !pattern.test(hex)) {
    return `has an invalid digest "${truncate(digest)}": use sha256: followed by 64 lower-case hex digits (or sha512: and 128)`;
  }

  return undefined;
}

function truncate(text: string): string {
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}
