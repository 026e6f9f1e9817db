/** Characters Mesos rejects inside a role name: whitespace and DEL (`src/common/roles.cpp`). */
const INVALID_ROLE_CHARACTERS = /[\t\n\v\f\r \x7f]/;

/**
 * Validates a role name as Mesos does: `*`, or a `/`-separated path with no empty, `.`, `..`
 * or `*` component, no component starting with `-`, and no whitespace. Returns the error
 * message, or undefined when the role is valid.
 */
export function validateRole(role: string): string | undefined {
  if (role === '*') {
    return undefined;
  }
  if (role.startsWith('/')) {
    return `Role '${role}' cannot start with a slash`;
  }
  if (role.endsWith('/')) {
    return `Role '${role}' cannot end with a slash`;
  }
  if (role.includes('//')) {
    return `Role '${role}' cannot contain two adjacent slashes`;
  }

  const components = role.split('/').filter((component) => component.length > 0);
  if (components.length === 0) {
    return 'Role names cannot be the empty string';
  }

  for (const component of components) {
    const error = validateRoleComponent(role, component);
    if (error !== undefined) {
      return error;
    }
  }
  return undefined;
}

function validateRoleComponent(role: string, component: string): string | undefined {
  if (component === '.' || component === '..' || component === '*') {
    return `Role '${role}' cannot include '${component}' as a component`;
  }
  if (component.startsWith('-')) {
    return `Role component '${component}' is invalid because it starts with a dash`;
  }
  if (INVALID_ROLE_CHARACTERS.test(component)) {
    return `Role component '${component}' is invalid because it contains backspace or whitespace`;
  }
  return undefined;
}

/** Tells whether `child` is a strict sub-role of `parent` (`a/b` of `a`). */
export function isStrictSubroleOf(child: string, parent: string): boolean {
  return child.length > parent.length && child.startsWith(`${parent}/`);
}

/** Formats a set of names as stout's `stringify(std::set)` does: `{ a, b }`. */
export function formatNameSet(names: Iterable<string>): string {
  return `{ ${[...new Set(names)].sort().join(', ')} }`;
}
